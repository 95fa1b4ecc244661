package io.flexrig.sim.i2c;

import java.util.function.DoubleSupplier;

/**
 * A TI TMP117 (datasheet SNOSD82): temperature in 7.8125 m°C steps, two's complement; reads -256 °C
 * (0x8000) until {@link #converting} is set, like the chip before its first conversion; device id
 * 0x0117.
 */
public final class Tmp117RegisterMap extends WordRegisterChip {
  public static final int TEMPERATURE = 0x00;
  public static final int CONFIGURATION = 0x01;
  public static final int DEVICE_ID = 0x0F;

  private final DoubleSupplier celsius;
  private volatile boolean converting = true;
  private int configuration = 0x0220;

  public Tmp117RegisterMap(DoubleSupplier celsius) {
    super(true);
    this.celsius = celsius;
  }

  /** Whether a first conversion has completed; false makes the register read 0x8000. */
  public void converting(boolean done) {
    this.converting = done;
  }

  @Override
  public synchronized int readRegister(int register) {
    return switch (register) {
      case TEMPERATURE -> {
        if (!converting) {
          yield 0x8000;
        }
        long raw = Math.round(celsius.getAsDouble() / 0.0078125);
        yield (int) Math.max(-32768, Math.min(32767, raw)) & 0xFFFF;
      }
      case CONFIGURATION -> configuration;
      case DEVICE_ID -> 0x0117;
      default -> 0;
    };
  }

  @Override
  public synchronized void writeRegister(int register, int value) {
    if (register == CONFIGURATION) {
      configuration = value & 0x0FFC;
    }
  }
}
