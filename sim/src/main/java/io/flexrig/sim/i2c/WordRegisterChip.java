package io.flexrig.sim.i2c;

/**
 * A chip with a register pointer and 16-bit registers, as most I2C sensors are: a write transaction
 * sets the pointer and, with two more bytes, writes the register; a read transaction clocks out the
 * register the pointer selects. Big-endian for TI/NXP sensors, little-endian for SMBus/PMBus
 * devices.
 */
public abstract class WordRegisterChip implements SimulatedI2CDevice {
  private final boolean bigEndian;
  private int pointer;

  protected WordRegisterChip(boolean bigEndian) {
    this.bigEndian = bigEndian;
  }

  /** The register's value as the chip would clock it out (0..0xFFFF). */
  public abstract int readRegister(int register);

  /** A host write; read-only registers ignore it, as on the chips. */
  public abstract void writeRegister(int register, int value);

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    if (length <= 0) {
      return;
    }
    pointer = data[offset] & 0xFF;
    if (length >= 3) {
      int first = data[offset + 1] & 0xFF;
      int second = data[offset + 2] & 0xFF;
      writeRegister(pointer, bigEndian ? (first << 8) | second : (second << 8) | first);
    }
  }

  @Override
  public synchronized int read(byte[] buffer, int offset, int length) {
    int value = readRegister(pointer);
    int firstByte = bigEndian ? value >> 8 : value;
    int secondByte = bigEndian ? value : value >> 8;
    // Reading past the two register bytes repeats them, which is what the chips clock out.
    for (int i = 0; i < length; i++) {
      buffer[offset + i] = (byte) ((i % 2 == 0) ? firstByte : secondByte);
    }
    return length;
  }
}
