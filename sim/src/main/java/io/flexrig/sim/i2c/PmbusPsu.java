package io.flexrig.sim.i2c;

import com.pi4j.io.exception.IOException;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * A PMBus power supply (PMBus Part II) on a 230 V AC input with a 12 V output: telemetry in
 * LINEAR11, output voltage in LINEAR16 with VOUT_MODE exponent -9, SMBus words low byte first. A
 * command the PSU does not implement is not acknowledged, as on real supplies.
 */
public final class PmbusPsu extends WordRegisterChip {
  public static final int VOUT_MODE = 0x20;
  public static final int READ_VIN = 0x88;
  public static final int READ_IIN = 0x89;
  public static final int READ_VOUT = 0x8B;
  public static final int READ_IOUT = 0x8C;
  public static final int READ_TEMPERATURE_1 = 0x8D;
  public static final int READ_FAN_SPEED_1 = 0x90;
  public static final int READ_POUT = 0x96;
  public static final int READ_PIN = 0x97;

  /** Linear mode, exponent -9 (1/512 V per bit). */
  public static final int VOUT_MODE_VALUE = 0x17;

  private static final double VIN = 230.0;
  private static final double VOUT = 12.0;

  private final DoubleSupplier outputWatts;
  private final double efficiency;
  private final Set<Integer> missing;
  private volatile int selected;

  /**
   * @param outputWatts DC output power
   * @param efficiency output over input power
   * @param missing commands this PSU does not implement (not acknowledged)
   */
  public PmbusPsu(DoubleSupplier outputWatts, double efficiency, Set<Integer> missing) {
    super(false);
    this.outputWatts = outputWatts;
    this.efficiency = efficiency;
    this.missing = Set.copyOf(missing);
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    if (length > 0) {
      selected = data[offset] & 0xFF;
    }
    super.write(data, offset, length);
  }

  @Override
  public synchronized int read(byte[] buffer, int offset, int length) {
    if (missing.contains(selected)) {
      throw new IOException(
          String.format("PMBus command 0x%02X not acknowledged (Remote I/O error)", selected));
    }
    return super.read(buffer, offset, length);
  }

  @Override
  public int readRegister(int command) {
    double pout = Math.max(0, outputWatts.getAsDouble());
    double pin = pout / efficiency;
    return switch (command) {
      case VOUT_MODE -> VOUT_MODE_VALUE;
      case READ_VIN -> linear11(VIN);
      case READ_IIN -> linear11(pin / VIN);
      case READ_VOUT -> (int) Math.round(VOUT * 512);
      case READ_IOUT -> linear11(pout / VOUT);
      case READ_TEMPERATURE_1 -> linear11(30 + pout / 100);
      case READ_FAN_SPEED_1 -> linear11(3000 + pout);
      case READ_POUT -> linear11(pout);
      case READ_PIN -> linear11(pin);
      default -> 0;
    };
  }

  @Override
  public void writeRegister(int register, int value) {
    // telemetry is read-only; control commands are not simulated
  }

  /** Y x 2^N with the smallest exponent whose mantissa fits 11 signed bits. */
  static int linear11(double value) {
    for (int n = -16; n <= 15; n++) {
      long y = Math.round(value / Math.pow(2, n));
      if (y >= -1024 && y <= 1023) {
        return ((n & 0x1F) << 11) | ((int) y & 0x7FF);
      }
    }
    throw new IllegalArgumentException("too large for LINEAR11: " + value);
  }
}
