package io.flexrig.agent.source.i2c;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chip on an I2C bus, opened through Pi4J. Every access runs as a {@link #transaction} under
 * the bus's fair lock, so a multi-register read is never interleaved with another chip's traffic; a
 * bus held longer than the timeout (a stuck chip stretching the clock, a hung sibling) fails the
 * transaction instead of stalling the sampler.
 */
public final class I2cChip implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(I2cChip.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Default wait for the bus lock. */
  public static final Duration DEFAULT_BUS_TIMEOUT = Duration.ofMillis(250);

  /** The body of a transaction; register calls are only valid inside one. */
  @FunctionalInterface
  public interface Transaction<T> {
    T run(I2cChip chip) throws IOException;
  }

  private final I2cAddress address;
  private final Context pi4j;
  private final I2C i2c;
  private final Lock busLock;
  private final long timeoutNanos;
  private final byte[] buffer = new byte[2];

  /**
   * @throws IOException when Pi4J cannot open the device (no such bus, no permission)
   */
  public I2cChip(
      I2cAddress address, String name, Pi4jI2c pi4jI2c, Lock busLock, Duration busTimeout)
      throws IOException {
    this.address = address;
    this.pi4j = pi4jI2c.pi4j();
    this.busLock = busLock;
    this.timeoutNanos = busTimeout.toNanos();
    String id =
        "flexrig-i2c-"
            + address.bus()
            + "-"
            + Integer.toHexString(address.device())
            + "-"
            + INSTANCES.incrementAndGet();
    I2CConfig config =
        I2C.newConfigBuilder(pi4j)
            .id(id)
            .name(name)
            .bus(address.bus())
            .device(address.device())
            .provider(pi4jI2c.providerId())
            .build();
    try {
      I2CProvider provider = pi4j.provider(pi4jI2c.providerId(), I2CProvider.class);
      this.i2c = provider.create(config);
    } catch (RuntimeException e) {
      throw new IOException("cannot open " + address + ": " + e.getMessage(), e);
    }
  }

  public I2cAddress address() {
    return address;
  }

  /**
   * Runs {@code body} holding the bus. Pi4J's runtime exceptions (no acknowledge, remote I/O error)
   * become {@link IOException}s naming the chip.
   */
  public <T> T transaction(Transaction<T> body) throws IOException {
    boolean locked;
    try {
      locked = busLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for I2C bus " + address.bus());
    }
    if (!locked) {
      throw new IOException(
          "I2C bus "
              + address.bus()
              + " busy for more than "
              + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
              + " ms; "
              + address
              + " not read");
    }
    try {
      return body.run(this);
    } catch (RuntimeException e) {
      throw new IOException(address + ": " + e.getMessage(), e);
    } finally {
      busLock.unlock();
    }
  }

  /** A 16-bit register sent most significant byte first (TI, NXP sensors). */
  public int readWordBigEndian(int register) throws IOException {
    readTwo(register);
    return ((buffer[0] & 0xFF) << 8) | (buffer[1] & 0xFF);
  }

  /** An SMBus/PMBus "read word": least significant byte first. */
  public int readWordSmbus(int command) throws IOException {
    readTwo(command);
    return ((buffer[1] & 0xFF) << 8) | (buffer[0] & 0xFF);
  }

  /** An SMBus "read byte". */
  public int readByte(int command) throws IOException {
    int n = i2c.readRegister(command, buffer, 0, 1);
    if (n != 1) {
      throw new IOException(shortRead(command, n));
    }
    return buffer[0] & 0xFF;
  }

  public void writeWordBigEndian(int register, int value) {
    i2c.writeRegister(register, new byte[] {(byte) (value >> 8), (byte) value}, 0, 2);
  }

  private void readTwo(int register) throws IOException {
    int n = i2c.readRegister(register, buffer, 0, 2);
    if (n != 2) {
      throw new IOException(shortRead(register, n));
    }
  }

  private String shortRead(int register, int n) {
    return "short read of register 0x"
        + Integer.toHexString(register)
        + " at "
        + address
        + ": "
        + n;
  }

  @Override
  public void close() {
    try {
      pi4j.shutdown(i2c.id());
    } catch (RuntimeException e) {
      log.debug("closing {} failed: {}", address, e.toString());
    }
  }

  @Override
  public String toString() {
    return "I2cChip[" + address + "]";
  }
}
