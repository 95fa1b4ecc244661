package io.flexrig.agent.source.i2c;

/**
 * The TI INA226 current/power monitor's register arithmetic (datasheet SBOS547, section 7.5):
 * calibration from the shunt and the chosen current LSB, and decoding of the shunt, bus, power and
 * current registers. Pure; registers are 16-bit big-endian words.
 *
 * @param shuntOhm shunt resistance in ohms
 * @param currentLsbA value of one bit of the current register, in amperes
 */
public record Ina226(double shuntOhm, double currentLsbA) {
  public static final int REG_CONFIGURATION = 0x00;
  public static final int REG_SHUNT_VOLTAGE = 0x01;
  public static final int REG_BUS_VOLTAGE = 0x02;
  public static final int REG_POWER = 0x03;
  public static final int REG_CURRENT = 0x04;
  public static final int REG_CALIBRATION = 0x05;
  public static final int REG_MANUFACTURER_ID = 0xFE;
  public static final int REG_DIE_ID = 0xFF;

  /** "TI" in ASCII. */
  public static final int MANUFACTURER_ID_TI = 0x5449;

  /** Bus voltage LSB: 1.25 mV. */
  public static final double BUS_VOLTAGE_LSB_V = 1.25e-3;

  /** Shunt voltage LSB: 2.5 uV. */
  public static final double SHUNT_VOLTAGE_LSB_V = 2.5e-6;

  public Ina226 {
    if (!(shuntOhm > 0) || !Double.isFinite(shuntOhm)) {
      throw new IllegalArgumentException("shunt_ohm must be positive: " + shuntOhm);
    }
    if (!(currentLsbA > 0) || !Double.isFinite(currentLsbA)) {
      throw new IllegalArgumentException("current_lsb_a must be positive: " + currentLsbA);
    }
    int cal = calibrationFor(shuntOhm, currentLsbA);
    if (cal < 1 || cal > 0x7FFF) {
      throw new IllegalArgumentException(
          "shunt_ohm "
              + shuntOhm
              + " with current_lsb_a "
              + currentLsbA
              + " gives calibration "
              + cal
              + ", outside 1-32767: choose another current LSB");
    }
  }

  /** CAL = 0.00512 / (Current_LSB x R_SHUNT) (datasheet equation 1). */
  public int calibration() {
    return calibrationFor(shuntOhm, currentLsbA);
  }

  private static int calibrationFor(double shuntOhm, double currentLsbA) {
    return (int) Math.round(0.00512 / (currentLsbA * shuntOhm));
  }

  /** Power LSB is 25 times the current LSB (datasheet equation 3). */
  public double powerLsbW() {
    return 25 * currentLsbA;
  }

  /** The current register is two's complement: negative when current flows backwards. */
  public double currentA(int register) {
    return (short) register * currentLsbA;
  }

  /** The power register is unsigned. */
  public double powerW(int register) {
    return (register & 0xFFFF) * powerLsbW();
  }

  /** The bus voltage register is unsigned, 1.25 mV per bit. */
  public static double busVoltageV(int register) {
    return (register & 0xFFFF) * BUS_VOLTAGE_LSB_V;
  }

  /** The shunt voltage register is two's complement, 2.5 uV per bit. */
  public static double shuntVoltageV(int register) {
    return (short) register * SHUNT_VOLTAGE_LSB_V;
  }

  /** A register word from the two bytes in bus order (most significant first). */
  public static int word(byte first, byte second) {
    return ((first & 0xFF) << 8) | (second & 0xFF);
  }

  /** The current LSB the datasheet recommends for a maximum expected current: I_max / 2^15. */
  public static double currentLsbFor(double maxExpectedCurrentA) {
    return maxExpectedCurrentA / 32768.0;
  }
}
