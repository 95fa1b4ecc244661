package io.flexrig.agent.source.i2c;

/**
 * The TI INA260 power monitor with its integrated 2 mOhm shunt (datasheet SBOSA69): fixed LSBs, no
 * calibration register. Current 1.25 mA, bus voltage 1.25 mV, power 10 mW per bit. Pure.
 */
public final class Ina260 {
  public static final int REG_CONFIGURATION = 0x00;
  public static final int REG_CURRENT = 0x01;
  public static final int REG_BUS_VOLTAGE = 0x02;
  public static final int REG_POWER = 0x03;
  public static final int REG_MANUFACTURER_ID = 0xFE;
  public static final int REG_DIE_ID = 0xFF;

  /** "TI" in ASCII, as in the INA226. */
  public static final int MANUFACTURER_ID_TI = 0x5449;

  /** Die id register: device id 0x227 in bits 15-4, revision in bits 3-0. */
  public static final int DEVICE_ID = 0x227;

  public static final double CURRENT_LSB_A = 1.25e-3;
  public static final double BUS_VOLTAGE_LSB_V = 1.25e-3;
  public static final double POWER_LSB_W = 10e-3;

  private Ina260() {}

  /** The current register is two's complement: negative when current flows backwards. */
  public static double currentA(int register) {
    return (short) register * CURRENT_LSB_A;
  }

  /** The bus voltage register is unsigned (bit 15 is always 0 on the chip). */
  public static double busVoltageV(int register) {
    return (register & 0xFFFF) * BUS_VOLTAGE_LSB_V;
  }

  /** The power register is unsigned: the chip multiplies the magnitudes. */
  public static double powerW(int register) {
    return (register & 0xFFFF) * POWER_LSB_W;
  }

  /** Whether a die id register value names an INA260 (any silicon revision). */
  public static boolean isIna260(int dieIdRegister) {
    return ((dieIdRegister & 0xFFFF) >> 4) == DEVICE_ID;
  }
}
