package io.flexrig.agent.source.i2c;

/**
 * The TI INA219 current/power monitor's register arithmetic (datasheet SBOS448, section 8.5):
 * calibration from the shunt and the chosen current LSB, the shunt voltage register's sign
 * extension per PGA range, and the bus voltage register's 3-bit shift. Pure; 16-bit big-endian
 * registers.
 *
 * @param shuntOhm shunt resistance in ohms
 * @param currentLsbA value of one bit of the current register, in amperes
 */
public record Ina219(double shuntOhm, double currentLsbA) {
  public static final int REG_CONFIGURATION = 0x00;
  public static final int REG_SHUNT_VOLTAGE = 0x01;
  public static final int REG_BUS_VOLTAGE = 0x02;
  public static final int REG_POWER = 0x03;
  public static final int REG_CURRENT = 0x04;
  public static final int REG_CALIBRATION = 0x05;

  /** Configuration after power-on reset: 32 V bus range, PGA /8, 12-bit, continuous. */
  public static final int CONFIGURATION_RESET = 0x399F;

  public static final double SHUNT_VOLTAGE_LSB_V = 10e-6;
  public static final double BUS_VOLTAGE_LSB_V = 4e-3;

  /** Conversion ready (CNVR) bit of the bus voltage register. */
  public static final int CONVERSION_READY = 0x0002;

  /** Math overflow (OVF) bit: current and power are out of range and must not be used. */
  public static final int MATH_OVERFLOW = 0x0001;

  public Ina219 {
    if (!(shuntOhm > 0) || !Double.isFinite(shuntOhm)) {
      throw new IllegalArgumentException("shunt_ohm must be positive: " + shuntOhm);
    }
    if (!(currentLsbA > 0) || !Double.isFinite(currentLsbA)) {
      throw new IllegalArgumentException("current_lsb_a must be positive: " + currentLsbA);
    }
    int cal = calibrationFor(shuntOhm, currentLsbA);
    if (cal < 2 || cal > 0xFFFE) {
      throw new IllegalArgumentException(
          "shunt_ohm "
              + shuntOhm
              + " with current_lsb_a "
              + currentLsbA
              + " gives calibration "
              + cal
              + ", outside 2-65534: choose another current LSB");
    }
  }

  /**
   * Cal = trunc(0.04096 / (Current_LSB x R_SHUNT)) (datasheet equation 1); bit 0 of the register is
   * not used, so the value is even.
   */
  public int calibration() {
    return calibrationFor(shuntOhm, currentLsbA);
  }

  private static int calibrationFor(double shuntOhm, double currentLsbA) {
    // A tiny epsilon keeps exact quotients like 20480 from truncating to 20479.
    return (int) Math.floor(0.04096 / (currentLsbA * shuntOhm) + 1e-9) & ~1;
  }

  /** Power LSB is 20 times the current LSB (datasheet equation 3). */
  public double powerLsbW() {
    return 20 * currentLsbA;
  }

  /** The current register is two's complement. */
  public double currentA(int register) {
    return (short) register * currentLsbA;
  }

  /** The power register is unsigned. */
  public double powerW(int register) {
    return (register & 0xFFFF) * powerLsbW();
  }

  /**
   * The shunt voltage register is two's complement, 10 uV per bit, in every PGA range: the chip
   * fills the bits above the range with the sign (datasheet table "Shunt Voltage Register Format"),
   * so reading it as a signed 16-bit word is right for all four ranges. A value beyond the range's
   * full scale cannot be trusted.
   */
  public static double shuntVoltageV(int register) {
    return (short) register * SHUNT_VOLTAGE_LSB_V;
  }

  /** Full-scale shunt voltage of the PGA setting in the configuration register (bits 12-11). */
  public static double shuntFullScaleV(int configuration) {
    int pga = (configuration >> 11) & 0x3;
    return 0.04 * (1 << pga);
  }

  /** Bus voltage: bits 15-3, 4 mV per bit; bits 1 and 0 are the CNVR and OVF flags. */
  public static double busVoltageV(int register) {
    return ((register & 0xFFFF) >> 3) * BUS_VOLTAGE_LSB_V;
  }

  /** Whether the chip flagged a math overflow: current and power registers are meaningless. */
  public static boolean overflow(int busVoltageRegister) {
    return (busVoltageRegister & MATH_OVERFLOW) != 0;
  }
}
