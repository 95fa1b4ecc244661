package io.flexrig.sim.i2c;

import java.util.function.DoubleSupplier;

/**
 * A TI INA219 (datasheet SBOS448): shunt voltage 10 uV per bit, bus voltage 4 mV per bit in bits
 * 15-3 with the CNVR and OVF flags below, and the chip's own integer arithmetic for current (shunt
 * x CAL / 4096) and power (current x bus / 5000). Current and power read 0 until the host writes a
 * calibration; {@link #brownOut()} forgets it, as a supply dip does on the real chip.
 */
public final class Ina219RegisterMap extends WordRegisterChip {
  public static final int CONFIGURATION = 0x00;
  public static final int SHUNT_VOLTAGE = 0x01;
  public static final int BUS_VOLTAGE = 0x02;
  public static final int POWER = 0x03;
  public static final int CURRENT = 0x04;
  public static final int CALIBRATION = 0x05;
  public static final int CONFIGURATION_RESET = 0x399F;

  private final DoubleSupplier amps;
  private final double busVolts;
  private final double shuntOhms;
  private int configuration = CONFIGURATION_RESET;
  private int calibration;

  public Ina219RegisterMap(DoubleSupplier amps, double busVolts, double shuntOhms) {
    super(true);
    this.amps = amps;
    this.busVolts = busVolts;
    this.shuntOhms = shuntOhms;
  }

  /** Loses the calibration and configuration, as after a supply brown-out. */
  public synchronized void brownOut() {
    configuration = CONFIGURATION_RESET;
    calibration = 0;
  }

  private int shunt() {
    double fullScale = 0.04 * (1 << ((configuration >> 11) & 0x3));
    double v = amps.getAsDouble() * shuntOhms;
    v = Math.max(-fullScale, Math.min(fullScale, v));
    return (int) Math.round(v / 10e-6);
  }

  private int busData() {
    return (int) Math.round(busVolts / 4e-3);
  }

  private int current() {
    return (int) Math.max(-32768, Math.min(32767, ((long) shunt() * calibration) / 4096));
  }

  @Override
  public synchronized int readRegister(int register) {
    return switch (register) {
      case CONFIGURATION -> configuration;
      case SHUNT_VOLTAGE -> shunt() & 0xFFFF;
      case BUS_VOLTAGE -> (busData() << 3) | 0x2;
      case POWER -> (int) Math.min(0xFFFF, Math.abs((long) current() * busData()) / 5000);
      case CURRENT -> current() & 0xFFFF;
      case CALIBRATION -> calibration;
      default -> 0;
    };
  }

  @Override
  public synchronized void writeRegister(int register, int value) {
    switch (register) {
      case CONFIGURATION -> {
        if ((value & 0x8000) != 0) {
          brownOut();
        } else {
          configuration = value;
        }
      }
      // Bit 0 of the calibration register is not used and always reads 0.
      case CALIBRATION -> calibration = value & 0xFFFE;
      default -> {
        // read-only register
      }
    }
  }
}
