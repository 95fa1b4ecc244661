package io.flexrig.sim.i2c;

import java.util.function.DoubleSupplier;

/**
 * An LM75-family temperature sensor: the temperature left-justified in a 16-bit register with
 * {@code bits} bits of resolution (9 for the classic LM75, 11 for the NXP LM75B), lower bits 0.
 */
public final class Lm75RegisterMap extends WordRegisterChip {
  public static final int TEMPERATURE = 0x00;
  public static final int CONFIGURATION = 0x01;
  public static final int HYSTERESIS = 0x02;
  public static final int OVERTEMPERATURE = 0x03;

  private final DoubleSupplier celsius;
  private final int bits;
  private int configuration;
  private int hysteresis = 75 << 8;
  private int overtemperature = 80 << 8;

  public Lm75RegisterMap(DoubleSupplier celsius, int bits) {
    super(true);
    if (bits < 9 || bits > 11) {
      throw new IllegalArgumentException("LM75 parts have 9 to 11 bits: " + bits);
    }
    this.celsius = celsius;
    this.bits = bits;
  }

  @Override
  public synchronized int readRegister(int register) {
    return switch (register) {
      case TEMPERATURE -> {
        double steps = Math.floor(celsius.getAsDouble() * (1 << (bits - 8)));
        int data = (int) Math.max(-(1 << (bits - 1)), Math.min((1 << (bits - 1)) - 1, steps));
        yield (data << (16 - bits)) & 0xFFFF;
      }
      case CONFIGURATION -> configuration;
      case HYSTERESIS -> hysteresis;
      case OVERTEMPERATURE -> overtemperature;
      default -> 0;
    };
  }

  @Override
  public synchronized void writeRegister(int register, int value) {
    switch (register) {
      case CONFIGURATION -> configuration = value & 0x1F;
      case HYSTERESIS -> hysteresis = value & 0xFF80;
      case OVERTEMPERATURE -> overtemperature = value & 0xFF80;
      default -> {
        // read-only
      }
    }
  }
}
