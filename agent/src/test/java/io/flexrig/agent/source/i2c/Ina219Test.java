package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Against the INA219 datasheet (SBOS448F), Table 3 "Configure/Measure/Calculate Example": load 10
 * A, V_CM 12 V, R_SHUNT 2 mOhm, shunt FSR 40 mV (PGA /1), 16 V bus range, current LSB 1 mA.
 */
class Ina219Test {
  private final Ina219 example = new Ina219(0.002, 0.001);

  @Test
  void calibrationOfTable3Is20480() {
    assertThat(example.calibration()).isEqualTo(0x5000);
  }

  @Test
  void table3RegistersDecodeToTwentyMillivoltsTenAmpsAnd119Point8Watts() {
    assertThat(Ina219.shuntVoltageV(0x07D0)).isCloseTo(0.020, within(1e-9));
    assertThat(Ina219.busVoltageV(0x5D98)).isCloseTo(11.98, within(1e-9));
    assertThat(example.currentA(0x2710)).isCloseTo(10.0, within(1e-9));
    assertThat(example.powerW(0x1766)).isCloseTo(119.8, within(1e-9));
    assertThat(example.powerLsbW()).isCloseTo(0.020, within(1e-12));
  }

  @Test
  void busVoltageFlagsAreNotPartOfTheVoltage() {
    // 0x5D98 with CNVR (bit 1) and then OVF (bit 0) set: same voltage, overflow reported
    assertThat(Ina219.busVoltageV(0x5D9A)).isCloseTo(11.98, within(1e-9));
    assertThat(Ina219.overflow(0x5D9A)).isFalse();
    assertThat(Ina219.overflow(0x5D99)).isTrue();
  }

  @Test
  void pgaRangeComesFromConfigurationBits12And11() {
    assertThat(Ina219.shuntFullScaleV(0x019F)).as("Table 3 config, PGA /1").isEqualTo(0.04);
    assertThat(Ina219.shuntFullScaleV(Ina219.CONFIGURATION_RESET))
        .as("reset, PGA /8")
        .isEqualTo(0.32);
    assertThat(Ina219.shuntFullScaleV(0x0800)).isEqualTo(0.08);
    assertThat(Ina219.shuntFullScaleV(0x1000)).isEqualTo(0.16);
  }

  @Test
  void negativeShuntVoltagesAreSignExtendedInEveryPgaRange() {
    // Shunt voltage register format table: -320 mV at PGA /8 reads 0x8300; -40 mV at /1 0xF060
    assertThat(Ina219.shuntVoltageV(0x8300)).isCloseTo(-0.320, within(1e-9));
    assertThat(Ina219.shuntVoltageV(0xF060)).isCloseTo(-0.040, within(1e-9));
  }

  @Test
  void calibrationOutOfRangeIsRejected() {
    assertThatThrownBy(() -> new Ina219(0.0001, 0.00001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 2-65534");
  }
}
