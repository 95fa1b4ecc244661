package io.flexrig.agent.source.i2c;

/**
 * PMBus command codes and data formats for a power supply (PMBus Power System Management Protocol
 * Specification, Part II): LINEAR11 for most telemetry and LINEAR16 for output voltage, whose
 * exponent comes from VOUT_MODE. Pure. On the wire a PMBus word is SMBus "read word": low byte
 * first.
 */
public final class Pmbus {
  public static final int PAGE = 0x00;
  public static final int VOUT_MODE = 0x20;
  public static final int STATUS_WORD = 0x79;
  public static final int READ_VIN = 0x88;
  public static final int READ_IIN = 0x89;
  public static final int READ_VOUT = 0x8B;
  public static final int READ_IOUT = 0x8C;
  public static final int READ_TEMPERATURE_1 = 0x8D;
  public static final int READ_FAN_SPEED_1 = 0x90;
  public static final int READ_POUT = 0x96;
  public static final int READ_PIN = 0x97;
  public static final int PMBUS_REVISION = 0x98;

  private Pmbus() {}

  /**
   * LINEAR11 (Part II, section 7.3): bits 15-11 a 5-bit two's complement exponent N, bits 10-0 an
   * 11-bit two's complement mantissa Y; the value is Y x 2^N.
   */
  public static double linear11(int word) {
    int w = word & 0xFFFF;
    int exponent = signExtend(w >> 11, 5);
    int mantissa = signExtend(w & 0x7FF, 11);
    return Math.scalb((double) mantissa, exponent);
  }

  /**
   * LINEAR16 (Part II, section 8.3.1): an unsigned 16-bit mantissa scaled by the exponent in the
   * low five bits of VOUT_MODE.
   *
   * @throws IllegalArgumentException when VOUT_MODE does not select the linear mode (bits 7-5 must
   *     be 000; VID and direct modes need the PSU's own coefficients)
   */
  public static double linear16(int word, int voutMode) {
    return Math.scalb((double) (word & 0xFFFF), voutModeExponent(voutMode));
  }

  /** The exponent of VOUT_MODE in linear mode. */
  public static int voutModeExponent(int voutMode) {
    int mode = (voutMode >> 5) & 0x7;
    if (mode != 0) {
      throw new IllegalArgumentException(
          String.format(
              "VOUT_MODE 0x%02x selects mode %d, not linear (0); not supported",
              voutMode & 0xFF, mode));
    }
    return signExtend(voutMode & 0x1F, 5);
  }

  /**
   * Encodes a value as LINEAR11 with the largest mantissa that fits, for simulators; the inverse of
   * {@link #linear11} to within one mantissa step.
   */
  public static int toLinear11(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not finite: " + value);
    }
    for (int exponent = -16; exponent <= 15; exponent++) {
      long mantissa = Math.round(Math.scalb(value, -exponent));
      if (mantissa >= -1024 && mantissa <= 1023) {
        return ((exponent & 0x1F) << 11) | ((int) mantissa & 0x7FF);
      }
    }
    throw new IllegalArgumentException("too large for LINEAR11: " + value);
  }

  /** Encodes a value as LINEAR16 with the exponent of VOUT_MODE, for simulators. */
  public static int toLinear16(double value, int voutMode) {
    long mantissa = Math.round(Math.scalb(value, -voutModeExponent(voutMode)));
    if (mantissa < 0 || mantissa > 0xFFFF) {
      throw new IllegalArgumentException("out of LINEAR16 range: " + value);
    }
    return (int) mantissa;
  }

  /** A word from the two bytes of an SMBus read word: low byte first. */
  public static int word(byte low, byte high) {
    return ((high & 0xFF) << 8) | (low & 0xFF);
  }

  private static int signExtend(int value, int bits) {
    int shift = 32 - bits;
    return (value << shift) >> shift;
  }
}
