package io.flexrig.sim.i2c;

import com.pi4j.io.exception.IOException;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CBase;
import com.pi4j.io.i2c.I2CBusBase;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One Pi4J I2C device handle on a simulated bus. A register access is one transaction under the bus
 * lock: the register pointer write and the data read cannot be interleaved by another thread.
 */
final class SimulatedI2C extends I2CBase<SimulatedI2C.Line> {

  /** The bus lock Pi4J's base class expects. */
  static final class Line extends I2CBusBase {
    Line(I2CConfig config) {
      super(config);
    }

    @Override
    public <R> R execute(I2C i2c, Callable<R> action) {
      return _execute(i2c, action);
    }
  }

  private final SimulatedI2CBus buses;
  private final int bus;
  private final int address;

  SimulatedI2C(I2CProvider provider, I2CConfig config, SimulatedI2CBus buses) {
    super(provider, config, new Line(config));
    this.buses = buses;
    this.bus = config.bus();
    this.address = config.device();
  }

  private SimulatedI2CDevice chip() {
    // A missing chip does not acknowledge its address: the kernel reports ENXIO.
    return buses
        .device(bus, address)
        .orElseThrow(
            () ->
                new IOException(
                    String.format(
                        "I2C bus %d address 0x%02X: no acknowledge (Remote I/O error)",
                        bus, address)));
  }

  @Override
  public int write(byte b) {
    return write(new byte[] {b}, 0, 1);
  }

  @Override
  public int write(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return execute(
        () -> {
          chip().write(data, offset, length);
          return length;
        });
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    read(one, 0, 1);
    return one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    return execute(() -> chip().read(buffer, offset, length));
  }

  @Override
  public int writeRegister(int register, byte b) {
    return writeRegister(new byte[] {(byte) register}, new byte[] {b}, 0, 1);
  }

  @Override
  public int writeRegister(int register, byte[] data, int offset, int length) {
    return writeRegister(new byte[] {(byte) register}, data, offset, length);
  }

  @Override
  public int writeRegister(byte[] register, byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    byte[] frame = new byte[register.length + length];
    System.arraycopy(register, 0, frame, 0, register.length);
    System.arraycopy(data, offset, frame, register.length, length);
    return execute(
        () -> {
          chip().write(frame, 0, frame.length);
          return length;
        });
  }

  @Override
  public int readRegister(int register) {
    byte[] one = new byte[1];
    readRegister(register, one, 0, 1);
    return one[0] & 0xFF;
  }

  @Override
  public int readRegister(int register, byte[] buffer, int offset, int length) {
    return readRegister(new byte[] {(byte) register}, buffer, offset, length);
  }

  @Override
  public int readRegister(byte[] register, byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    return execute(
        () -> {
          SimulatedI2CDevice chip = chip();
          chip.write(register, 0, register.length);
          return chip.read(buffer, offset, length);
        });
  }
}
