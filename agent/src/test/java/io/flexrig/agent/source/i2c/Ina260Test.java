package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Against the INA260 datasheet (SBOSA69), section 7.6 register descriptions: Current register (01h)
 * 1.25 mA/LSB two's complement, Bus Voltage register (02h) 1.25 mV/LSB, Power register (03h) 10
 * mW/LSB, Manufacturer ID 5449h, Die ID 2270h.
 */
class Ina260Test {

  @Test
  void fixedLsbsTurnRegistersIntoAmpsVoltsAndWatts() {
    // 12 V at 10 A: 9600 x 1.25 mV, 8000 x 1.25 mA, 12000 x 10 mW
    assertThat(Ina260.busVoltageV(9600)).isCloseTo(12.0, within(1e-9));
    assertThat(Ina260.currentA(8000)).isCloseTo(10.0, within(1e-9));
    assertThat(Ina260.powerW(12000)).isCloseTo(120.0, within(1e-9));
  }

  @Test
  void currentIsTwosComplementAndPowerUnsigned() {
    assertThat(Ina260.currentA(0xFFFF)).isCloseTo(-1.25e-3, within(1e-12));
    assertThat(Ina260.currentA(0x8000)).isCloseTo(-40.96, within(1e-9));
    assertThat(Ina260.powerW(0xFFFF)).isCloseTo(655.35, within(1e-9));
  }

  @Test
  void dieIdRegisterNamesTheIna260AtAnyRevision() {
    assertThat(Ina260.isIna260(0x2270)).isTrue();
    assertThat(Ina260.isIna260(0x2271)).isTrue();
    assertThat(Ina260.isIna260(0x2260)).as("an INA226").isFalse();
  }
}
