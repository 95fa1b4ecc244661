package io.flexrig.agent.source.i2c;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An INA226 on the DC side of the rig's PSU, read through Pi4J. Writes the calibration register at
 * open; each sample reads bus voltage, current and power as one transaction on the bus lock.
 *
 * <p>Readings: {@code <role>} the estimated wall (AC input) power, DC power divided by the PSU
 * efficiency; {@code <role>.dc} the DC power; {@code <role>.bus_voltage}; {@code <role>.current}.
 */
public final class Ina226Source implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(Ina226Source.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String role;
  private final String dcName;
  private final String busName;
  private final String currentName;
  private final I2cAddress address;
  private final Ina226 chip;
  private final double psuEfficiency;
  private final Context pi4j;
  private final I2C i2c;
  private final Lock busLock;
  private final Clock clock;
  private final byte[] word = new byte[2];
  private final long busTimeoutNanos;

  /**
   * Opens the device and writes its calibration, waiting for the bus at most {@link
   * I2cChip#DEFAULT_BUS_TIMEOUT}.
   *
   * @throws IOException when the device does not answer or is not an INA226
   */
  public Ina226Source(
      String role,
      I2cAddress address,
      Ina226 chip,
      double psuEfficiency,
      Pi4jI2c pi4jI2c,
      Lock busLock,
      Clock clock)
      throws IOException {
    this(role, address, chip, psuEfficiency, pi4jI2c, busLock, I2cChip.DEFAULT_BUS_TIMEOUT, clock);
  }

  /**
   * Opens the device and writes its calibration.
   *
   * @param busTimeout how long a transaction waits for the bus before the sample fails
   * @throws IOException when the device does not answer or is not an INA226
   */
  public Ina226Source(
      String role,
      I2cAddress address,
      Ina226 chip,
      double psuEfficiency,
      Pi4jI2c pi4jI2c,
      Lock busLock,
      java.time.Duration busTimeout,
      Clock clock)
      throws IOException {
    this.busTimeoutNanos = busTimeout.toNanos();
    if (!(psuEfficiency > 0 && psuEfficiency <= 1)) {
      throw new IllegalArgumentException(
          "sensor '" + role + "': psu_efficiency must be in (0, 1]: " + psuEfficiency);
    }
    this.role = role;
    this.dcName = role + ".dc";
    this.busName = role + ".bus_voltage";
    this.currentName = role + ".current";
    this.address = address;
    this.chip = chip;
    this.psuEfficiency = psuEfficiency;
    this.busLock = busLock;
    this.clock = clock;
    this.pi4j = pi4jI2c.pi4j();
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
            .name(role)
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
    try {
      lockBus();
      try {
        int manufacturer = readWord(Ina226.REG_MANUFACTURER_ID);
        if (manufacturer != Ina226.MANUFACTURER_ID_TI) {
          throw new IOException(
              String.format(
                  "device at %s is not an INA226: manufacturer id 0x%04x, expected 0x%04x",
                  address, manufacturer, Ina226.MANUFACTURER_ID_TI));
        }
        writeWord(Ina226.REG_CALIBRATION, chip.calibration());
      } finally {
        busLock.unlock();
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e instanceof IOException io
          ? io
          : new IOException("cannot initialise " + address + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    int bus;
    int current;
    int power;
    lockBus();
    try {
      bus = readWord(Ina226.REG_BUS_VOLTAGE);
      current = readWord(Ina226.REG_CURRENT);
      power = readWord(Ina226.REG_POWER);
    } catch (RuntimeException e) {
      throw new IOException("reading " + address + " failed: " + e.getMessage(), e);
    } finally {
      busLock.unlock();
    }
    Instant at = clock.instant();
    double dcW = chip.powerW(power);
    return List.of(
        Reading.good(role, dcW / psuEfficiency, "W", at),
        Reading.good(dcName, dcW, "W", at),
        Reading.good(busName, Ina226.busVoltageV(bus), "V", at),
        Reading.good(currentName, chip.currentA(current), "A", at));
  }

  private void lockBus() throws IOException {
    try {
      if (!busLock.tryLock(busTimeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS)) {
        throw new IOException(
            "I2C bus " + address.bus() + " busy too long; " + address + " not read");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for I2C bus " + address.bus());
    }
  }

  private int readWord(int register) throws IOException {
    int n = i2c.readRegister(register, word, 0, 2);
    if (n != 2) {
      throw new IOException(
          "short read of register 0x"
              + Integer.toHexString(register)
              + " at "
              + address
              + ": "
              + n);
    }
    return Ina226.word(word[0], word[1]);
  }

  private void writeWord(int register, int value) {
    i2c.writeRegister(register, new byte[] {(byte) (value >> 8), (byte) value}, 0, 2);
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      pi4j.shutdown(i2c.id());
    } catch (RuntimeException e) {
      log.debug("closing {} failed: {}", address, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Ina226Source[" + role + " " + address + "]";
  }
}
