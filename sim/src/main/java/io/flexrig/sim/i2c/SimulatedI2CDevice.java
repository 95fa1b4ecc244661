package io.flexrig.sim.i2c;

/**
 * A chip on a simulated I2C bus, seen at the byte level like on the wire: a write transaction
 * delivers bytes (for register chips: pointer, then data), a read transaction returns bytes.
 */
public interface SimulatedI2CDevice {

  /** One write transaction addressed to this device. */
  void write(byte[] data, int offset, int length);

  /**
   * One read transaction addressed to this device.
   *
   * @return the number of bytes read into {@code buffer}
   */
  int read(byte[] buffer, int offset, int length);
}
