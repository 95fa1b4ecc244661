package io.flexrig.sim.i2c;

import java.util.function.DoubleSupplier;

/**
 * A TI INA260 (datasheet SBOSA69) on a 12 V rail: integrated 2 mOhm shunt, current 1.25 mA, bus
 * voltage 1.25 mV and power 10 mW per bit; manufacturer id "TI", die id 0x2270.
 */
public final class Ina260RegisterMap extends WordRegisterChip {
  public static final int CONFIGURATION = 0x00;
  public static final int CURRENT = 0x01;
  public static final int BUS_VOLTAGE = 0x02;
  public static final int POWER = 0x03;
  public static final int MANUFACTURER_ID = 0xFE;
  public static final int DIE_ID = 0xFF;

  private final DoubleSupplier watts;
  private final double busVolts;
  private int configuration = 0x6127;

  /**
   * @param watts power drawn through the chip, W
   * @param busVolts the rail voltage
   */
  public Ina260RegisterMap(DoubleSupplier watts, double busVolts) {
    super(true);
    this.watts = watts;
    this.busVolts = busVolts;
  }

  @Override
  public synchronized int readRegister(int register) {
    double amps = Math.max(0, watts.getAsDouble()) / busVolts;
    return switch (register) {
      case CONFIGURATION -> configuration;
      case CURRENT -> (int) Math.min(0x7FFF, Math.round(amps / 1.25e-3));
      case BUS_VOLTAGE -> (int) Math.min(0x7FFF, Math.round(busVolts / 1.25e-3));
      case POWER -> (int) Math.min(0xFFFF, Math.round(amps * busVolts / 10e-3));
      case MANUFACTURER_ID -> 0x5449;
      case DIE_ID -> 0x2270;
      default -> 0;
    };
  }

  @Override
  public synchronized void writeRegister(int register, int value) {
    if (register == CONFIGURATION) {
      configuration = (value & 0x8000) != 0 ? 0x6127 : value;
    }
  }
}
