package io.flexrig.agent.source.i2c;

/**
 * The TI TMP117 precision temperature sensor (datasheet SNOSD82): a 16-bit two's complement
 * temperature register, 7.8125 m°C per bit. Pure.
 */
public final class Tmp117 {
  public static final int REG_TEMPERATURE = 0x00;
  public static final int REG_CONFIGURATION = 0x01;
  public static final int REG_DEVICE_ID = 0x0F;

  /** Device id in bits 11-0 of the device id register; bits 15-12 are the revision. */
  public static final int DEVICE_ID = 0x117;

  public static final double LSB_C = 0.0078125;

  /** The register reads -256 °C (0x8000) from power-up until the first conversion completes. */
  public static final int NOT_YET_CONVERTED = 0x8000;

  private Tmp117() {}

  public static double celsius(int register) {
    return (short) register * LSB_C;
  }

  public static boolean isTmp117(int deviceIdRegister) {
    return (deviceIdRegister & 0x0FFF) == DEVICE_ID;
  }

  /** Inverse of {@link #celsius}, for simulators and limit registers; rounds to the nearest LSB. */
  public static int register(double celsius) {
    long raw = Math.round(celsius / LSB_C);
    return (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, raw)) & 0xFFFF;
  }
}
