package io.flexrig.agent.source.i2c;

/**
 * The LM75 family of temperature sensors: a 16-bit temperature register holding a left-justified
 * two's complement value of 9 bits (the original LM75 and most clones, 0.5 °C), 10 or 11 bits (NXP
 * LM75B, 0.125 °C); the bits below the resolution read 0. Pure.
 *
 * @param bits the resolution of the part, 9 to 11
 */
public record Lm75(int bits) {
  public static final int REG_TEMPERATURE = 0x00;
  public static final int REG_CONFIGURATION = 0x01;
  public static final int REG_HYSTERESIS = 0x02;
  public static final int REG_OVERTEMPERATURE = 0x03;

  public Lm75 {
    if (bits < 9 || bits > 11) {
      throw new IllegalArgumentException("LM75 resolution must be 9 to 11 bits: " + bits);
    }
  }

  /** Value of one bit at this resolution: 0.5, 0.25 or 0.125 °C. */
  public double lsbC() {
    return 1.0 / (1 << (bits - 8));
  }

  /** The temperature of a 16-bit register word; the unused low bits are ignored. */
  public double celsius(int register) {
    return ((short) register >> (16 - bits)) * lsbC();
  }

  /** The temperature of a right-justified value of {@code bits} bits, as datasheet tables give. */
  public double celsiusOfData(int data) {
    return celsius(data << (16 - bits));
  }
}
