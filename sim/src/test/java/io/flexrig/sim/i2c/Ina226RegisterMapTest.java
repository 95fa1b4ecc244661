package io.flexrig.sim.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Ina226RegisterMapTest {

  private static final double SHUNT_OHMS = 0.0002;
  private static final double CURRENT_LSB_A = 0.01;

  private final AtomicReference<Double> dcPowerW = new AtomicReference<>(2884.0);
  private final Ina226RegisterMap chip = new Ina226RegisterMap(dcPowerW::get, SHUNT_OHMS);

  @Test
  void powersUpWithDatasheetResetValuesAndIds() {
    assertThat(chip.readRegister(Ina226RegisterMap.CONFIGURATION)).isEqualTo(0x4127);
    assertThat(chip.readRegister(Ina226RegisterMap.CALIBRATION)).isZero();
    assertThat(chip.readRegister(Ina226RegisterMap.MANUFACTURER_ID)).isEqualTo(0x5449);
    assertThat(chip.readRegister(Ina226RegisterMap.DIE_ID)).isEqualTo(0x2260);
  }

  @Test
  void calibrationFollowsTheDatasheetFormula() {
    // CAL = 0.00512 / (0.01 A * 0.0002 Ohm) = 2560
    assertThat(Ina226RegisterMap.calibrationFor(CURRENT_LSB_A, SHUNT_OHMS)).isEqualTo(2560);
    assertThat(Ina226RegisterMap.calibrationFor(0.001, 0.002)).isEqualTo(2560);
    assertThat(Ina226RegisterMap.calibrationFor(0.0005, 0.01)).isEqualTo(1024);
  }

  @Test
  void currentAndPowerReadZeroUntilCalibrated() {
    assertThat(chip.readRegister(Ina226RegisterMap.SHUNT_VOLTAGE)).isPositive();
    assertThat(chip.readRegister(Ina226RegisterMap.CURRENT)).isZero();
    assertThat(chip.readRegister(Ina226RegisterMap.POWER)).isZero();
  }

  @Test
  void shuntAndBusVoltagesUseTheirFixedLsbs() {
    // 2884 W / 12 V = 240.33 A; * 0.2 mOhm = 48.07 mV; / 2.5 uV = 19227
    assertThat(chip.readRegister(Ina226RegisterMap.SHUNT_VOLTAGE)).isEqualTo(19227);
    // 12.0 V / 1.25 mV = 9600
    assertThat(chip.readRegister(Ina226RegisterMap.BUS_VOLTAGE)).isEqualTo(9600);
  }

  @Test
  void currentAndPowerUseTheCalibratedLsbs() {
    chip.writeRegister(Ina226RegisterMap.CALIBRATION, 2560);
    double currentA = chip.readRegister(Ina226RegisterMap.CURRENT) * CURRENT_LSB_A;
    double powerW = chip.readRegister(Ina226RegisterMap.POWER) * 25 * CURRENT_LSB_A;
    assertThat(currentA).isCloseTo(2884 / 12.0, within(CURRENT_LSB_A));
    assertThat(powerW).isCloseTo(2884, within(25 * CURRENT_LSB_A));
    // The chip's own integer arithmetic: current = shunt * CAL / 2048, power = current * bus /
    // 20000
    int shunt = chip.readRegister(Ina226RegisterMap.SHUNT_VOLTAGE);
    int current = chip.readRegister(Ina226RegisterMap.CURRENT);
    assertThat(current).isEqualTo(shunt * 2560 / 2048);
    assertThat(chip.readRegister(Ina226RegisterMap.POWER)).isEqualTo(current * 9600 / 20000);
  }

  @Test
  void followsTheSuppliedPower() {
    chip.writeRegister(Ina226RegisterMap.CALIBRATION, 2560);
    dcPowerW.set(1410.0);
    assertThat(chip.readRegister(Ina226RegisterMap.POWER) * 0.25).isCloseTo(1410, within(0.25));
    dcPowerW.set(0.0);
    assertThat(chip.readRegister(Ina226RegisterMap.POWER)).isZero();
  }

  @Test
  void resetBitRestoresDefaults() {
    chip.writeRegister(Ina226RegisterMap.CALIBRATION, 2560);
    chip.writeRegister(Ina226RegisterMap.CONFIGURATION, 0x4527);
    assertThat(chip.readRegister(Ina226RegisterMap.CONFIGURATION)).isEqualTo(0x4527);
    chip.writeRegister(Ina226RegisterMap.CONFIGURATION, 0x8000);
    assertThat(chip.readRegister(Ina226RegisterMap.CONFIGURATION)).isEqualTo(0x4127);
    assertThat(chip.readRegister(Ina226RegisterMap.CALIBRATION)).isZero();
  }

  @Test
  void readOnlyRegistersIgnoreWritesAndCalibrationBit15IsReserved() {
    chip.writeRegister(Ina226RegisterMap.BUS_VOLTAGE, 1);
    chip.writeRegister(Ina226RegisterMap.MANUFACTURER_ID, 1);
    assertThat(chip.readRegister(Ina226RegisterMap.BUS_VOLTAGE)).isEqualTo(9600);
    assertThat(chip.readRegister(Ina226RegisterMap.MANUFACTURER_ID)).isEqualTo(0x5449);
    chip.writeRegister(Ina226RegisterMap.CALIBRATION, 0xFFFF);
    assertThat(chip.readRegister(Ina226RegisterMap.CALIBRATION)).isEqualTo(0x7FFF);
    chip.writeRegister(Ina226RegisterMap.ALERT_LIMIT, 0x1234);
    assertThat(chip.readRegister(Ina226RegisterMap.ALERT_LIMIT)).isEqualTo(0x1234);
  }

  @Test
  void busTransactionsUseTheRegisterPointerAndBigEndianWords() {
    chip.write(new byte[] {0x05, 0x0A, 0x00}, 0, 3);
    assertThat(chip.readRegister(Ina226RegisterMap.CALIBRATION)).isEqualTo(0x0A00);

    chip.write(new byte[] {(byte) 0xFE}, 0, 1);
    byte[] word = new byte[2];
    chip.read(word, 0, 2);
    assertThat(word).containsExactly(0x54, 0x49);
    // The pointer stays where it was: a second read returns the same register.
    chip.read(word, 0, 2);
    assertThat(word).containsExactly(0x54, 0x49);
  }
}
