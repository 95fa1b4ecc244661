package io.flexrig.agent.source.spi;

import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiMode;
import com.pi4j.io.spi.SpiProvider;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MAX31855 thermocouple converter on an SPI chip select, read through Pi4J: each sample clocks
 * out one 32-bit frame under the bus lock. A thermocouple fault makes {@code <role>} BAD (the
 * reason is logged when it changes); the cold-junction temperature stays usable.
 *
 * <p>Readings: {@code <role>} thermocouple °C, {@code <role>.internal} chip °C, {@code
 * <role>.fault} the OC/SCG/SCV bits (0 when none).
 */
public final class Max31855Source implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(Max31855Source.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** The MAX31855 clocks at up to 5 MHz; 1 MHz leaves margin for long ribbon cables. */
  static final int BAUD = 1_000_000;

  private final String role;
  private final int bus;
  private final int chipSelect;
  private final Context pi4j;
  private final Spi spi;
  private final Lock busLock;
  private final long timeoutNanos;
  private final Clock clock;
  private final byte[] frame = new byte[4];
  private String lastFault = "";

  public Max31855Source(
      String role,
      int bus,
      int chipSelect,
      Pi4jSpi pi4jSpi,
      Lock busLock,
      Duration busTimeout,
      Clock clock)
      throws IOException {
    this.role = role;
    this.bus = bus;
    this.chipSelect = chipSelect;
    this.pi4j = pi4jSpi.pi4j();
    this.busLock = busLock;
    this.timeoutNanos = busTimeout.toNanos();
    this.clock = clock;
    SpiConfig config =
        Spi.newConfigBuilder(pi4j)
            .id("flexrig-spi-" + bus + "-" + chipSelect + "-" + INSTANCES.incrementAndGet())
            .name(role)
            .bus(bus)
            .channel(chipSelect)
            .mode(SpiMode.MODE_0)
            .baud(BAUD)
            .provider(pi4jSpi.providerId())
            .build();
    try {
      this.spi = pi4j.provider(pi4jSpi.providerId(), SpiProvider.class).create(config);
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot open SPI bus " + bus + " chip select " + chipSelect + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    int n;
    try {
      if (!busLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
        throw new IOException("SPI bus " + bus + " busy too long; " + role + " not read");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for SPI bus " + bus);
    }
    try {
      n = spi.read(frame, 0, 4);
    } catch (RuntimeException e) {
      throw new IOException("reading " + this + " failed: " + e.getMessage(), e);
    } finally {
      busLock.unlock();
    }
    if (n != 4) {
      throw new IOException("short SPI read from " + this + ": " + n + " of 4 bytes");
    }
    Instant at = clock.instant();
    Max31855.Frame f = Max31855.decode(Max31855.frame(frame, 0));
    String reason = f.faultReason();
    if (!reason.equals(lastFault)) {
      if (reason.isEmpty()) {
        log.info("{}: thermocouple fault cleared", this);
      } else {
        log.warn("{}: {}; reading is BAD until it clears", this, reason);
      }
      lastFault = reason;
    }
    return List.of(
        f.faulty() ? Reading.bad(role, "C", at) : Reading.good(role, f.thermocoupleC(), "C", at),
        Reading.good(role + ".internal", f.internalC(), "C", at),
        Reading.good(role + ".fault", f.faults(), "", at));
  }

  /** Why the thermocouple reading is BAD, empty when it is not; for the probe and status pages. */
  public String faultReason() {
    return lastFault;
  }

  @Override
  public void close() {
    try {
      pi4j.shutdown(spi.id());
    } catch (RuntimeException e) {
      log.debug("closing {} failed: {}", this, e.toString());
    }
  }

  @Override
  public String toString() {
    return "Max31855Source[" + role + " spi:" + bus + "/" + chipSelect + "]";
  }
}
