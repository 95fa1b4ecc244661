package io.flexrig.sim.i2c;

import java.util.function.DoubleSupplier;

/**
 * A TI INA226 current/power monitor on a 12 V DC bus, register for register as in the datasheet
 * (SBOS547): 16-bit big-endian registers behind a register pointer; current and power are computed
 * by the chip from the shunt voltage and the calibration register, and read 0 until the host writes
 * a calibration, as on the real chip.
 */
public final class Ina226RegisterMap implements SimulatedI2CDevice {

  public static final int CONFIGURATION = 0x00;
  public static final int SHUNT_VOLTAGE = 0x01;
  public static final int BUS_VOLTAGE = 0x02;
  public static final int POWER = 0x03;
  public static final int CURRENT = 0x04;
  public static final int CALIBRATION = 0x05;
  public static final int MASK_ENABLE = 0x06;
  public static final int ALERT_LIMIT = 0x07;
  public static final int MANUFACTURER_ID = 0xFE;
  public static final int DIE_ID = 0xFF;

  public static final int CONFIGURATION_RESET = 0x4127;
  public static final int TEXAS_INSTRUMENTS = 0x5449;
  public static final int INA226_DIE = 0x2260;

  /** Shunt voltage LSB: 2.5 uV. */
  public static final double SHUNT_VOLTAGE_LSB_V = 2.5e-6;

  /** Bus voltage LSB: 1.25 mV. */
  public static final double BUS_VOLTAGE_LSB_V = 1.25e-3;

  /** Bus voltage of the rig's DC rail. */
  public static final double BUS_VOLTS = 12.0;

  private static final int CONFIG_RESET_BIT = 0x8000;
  private static final int CONVERSION_READY = 0x0008;

  private final DoubleSupplier dcPowerW;
  private final double shuntOhms;
  private int pointer;
  private int configuration = CONFIGURATION_RESET;
  private int calibration;
  private int maskEnable;
  private int alertLimit;

  /**
   * @param dcPowerW DC power drawn through the shunt, in watts
   * @param shuntOhms shunt resistance, e.g. 0.0002 for a 200 uOhm shunt
   */
  public Ina226RegisterMap(DoubleSupplier dcPowerW, double shuntOhms) {
    if (!(shuntOhms > 0)) {
      throw new IllegalArgumentException("shunt resistance must be positive: " + shuntOhms);
    }
    this.dcPowerW = dcPowerW;
    this.shuntOhms = shuntOhms;
  }

  /** The calibration value the datasheet gives: {@code CAL = 0.00512 / (current_LSB * R_shunt)}. */
  public static int calibrationFor(double currentLsbA, double shuntOhms) {
    return (int) Math.round(0.00512 / (currentLsbA * shuntOhms));
  }

  /** Reads one register as the chip would return it (0..0xFFFF). */
  public synchronized int readRegister(int register) {
    return switch (register) {
      case CONFIGURATION -> configuration;
      case SHUNT_VOLTAGE -> shuntVoltageRegister() & 0xFFFF;
      case BUS_VOLTAGE -> busVoltageRegister();
      case POWER -> powerRegister();
      case CURRENT -> currentRegister() & 0xFFFF;
      case CALIBRATION -> calibration;
      case MASK_ENABLE -> maskEnable | CONVERSION_READY;
      case ALERT_LIMIT -> alertLimit;
      case MANUFACTURER_ID -> TEXAS_INSTRUMENTS;
      case DIE_ID -> INA226_DIE;
      default -> 0;
    };
  }

  /** Writes one register; read-only registers ignore the write, as on the chip. */
  public synchronized void writeRegister(int register, int value) {
    int v = value & 0xFFFF;
    switch (register) {
      case CONFIGURATION -> {
        if ((v & CONFIG_RESET_BIT) != 0) {
          reset();
        } else {
          configuration = v;
        }
      }
      // Bit 15 of the calibration register is reserved and always reads 0.
      case CALIBRATION -> calibration = v & 0x7FFF;
      case MASK_ENABLE -> maskEnable = v & 0xFC03;
      case ALERT_LIMIT -> alertLimit = v;
      default -> {
        // read-only or unused register
      }
    }
  }

  private void reset() {
    configuration = CONFIGURATION_RESET;
    calibration = 0;
    maskEnable = 0;
    alertLimit = 0;
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    if (length <= 0) {
      return;
    }
    pointer = data[offset] & 0xFF;
    if (length >= 3) {
      writeRegister(pointer, ((data[offset + 1] & 0xFF) << 8) | (data[offset + 2] & 0xFF));
    }
  }

  @Override
  public synchronized int read(byte[] buffer, int offset, int length) {
    int value = readRegister(pointer);
    // Reading past the two register bytes repeats them, which is what the chip clocks out.
    for (int i = 0; i < length; i++) {
      buffer[offset + i] = (byte) ((i % 2 == 0) ? (value >> 8) : value);
    }
    return length;
  }

  private double currentA() {
    double watts = Math.max(0, dcPowerW.getAsDouble());
    return watts / BUS_VOLTS;
  }

  private int shuntVoltageRegister() {
    long raw = Math.round(currentA() * shuntOhms / SHUNT_VOLTAGE_LSB_V);
    return (int) Math.max(-32768, Math.min(32767, raw));
  }

  private int busVoltageRegister() {
    return (int) Math.min(0x7FFF, Math.round(BUS_VOLTS / BUS_VOLTAGE_LSB_V));
  }

  // The chip's own integer arithmetic (datasheet equations 3 and 4).
  private int currentRegister() {
    long current = ((long) shuntVoltageRegister() * calibration) / 2048;
    return (int) Math.max(-32768, Math.min(32767, current));
  }

  private int powerRegister() {
    long power = ((long) currentRegister() * busVoltageRegister()) / 20000;
    return (int) Math.max(0, Math.min(0xFFFF, power));
  }
}
