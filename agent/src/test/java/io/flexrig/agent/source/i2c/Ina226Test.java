package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Against the worked example of the INA226 datasheet (SBOS547, 7.5.1: 10 A, 2 mOhm, 12 V). */
class Ina226Test {
  private final Ina226 datasheet = new Ina226(0.002, 0.001);

  @Test
  void calibrationOfTheDatasheetExampleIs2560() {
    assertThat(datasheet.calibration()).isEqualTo(2560);
  }

  @Test
  void datasheetRegisterValuesDecodeToTenAmpsTwelveVoltsAndHundredTwentyWatts() {
    assertThat(Ina226.shuntVoltageV(8000)).isCloseTo(0.020, within(1e-9));
    assertThat(Ina226.busVoltageV(9600)).isCloseTo(12.0, within(1e-9));
    assertThat(datasheet.currentA(10000)).isCloseTo(10.0, within(1e-9));
    assertThat(datasheet.powerW(4800)).isCloseTo(120.0, within(1e-9));
    assertThat(datasheet.powerLsbW()).isCloseTo(0.025, within(1e-12));
  }

  @Test
  void currentAndShuntVoltageAreTwosComplement() {
    assertThat(datasheet.currentA(0xFFFF)).isCloseTo(-0.001, within(1e-12));
    assertThat(datasheet.currentA(0x8000)).isCloseTo(-32.768, within(1e-9));
    assertThat(Ina226.shuntVoltageV(0xFFFE)).isCloseTo(-5e-6, within(1e-12));
  }

  @Test
  void busVoltageAndPowerAreUnsigned() {
    assertThat(Ina226.busVoltageV(0xFFFF)).isCloseTo(81.91875, within(1e-9));
    assertThat(datasheet.powerW(0xFFFF)).isCloseTo(65535 * 0.025, within(1e-9));
  }

  @Test
  void wordsAreBigEndianOnTheBus() {
    assertThat(Ina226.word((byte) 0x0A, (byte) 0x00)).isEqualTo(2560);
    assertThat(Ina226.word((byte) 0xFF, (byte) 0x9C)).isEqualTo(0xFF9C);
  }

  @Test
  void rigShuntOfTheProfileGivesACalibrationThatFits() {
    Ina226 rig = new Ina226(0.0002, 0.01);
    assertThat(rig.calibration()).isEqualTo(2560);
    // 2884 W DC at 12 V through the rig's shunt: 240 A, a power register of 11536
    assertThat(rig.powerW(11536)).isCloseTo(2884, within(1e-9));
  }

  @Test
  void recommendedCurrentLsbIsMaxCurrentOver2To15() {
    assertThat(Ina226.currentLsbFor(15)).isCloseTo(457.76e-6, within(1e-8));
  }

  @Test
  void calibrationOutOfRangeIsRejectedWithAHint() {
    assertThatThrownBy(() -> new Ina226(0.0001, 0.0001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 1-32767");
    assertThatThrownBy(() -> new Ina226(0, 0.001)).hasMessageContaining("shunt_ohm");
  }
}
