package io.flexrig.agent.source.spi;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorAddress;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Driver for {@code spi:<bus>/<chip select>/<chip>} addresses. Chips: {@code max31855}. Option
 * {@code bus_timeout_ms} (default 250). Needs a {@link Pi4jSpi} service in the context; all sources
 * on one bus share one fair lock.
 */
public final class SpiDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "spi";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) throws IOException {
    SensorAddress.Spi address;
    try {
      address = (SensorAddress.Spi) SensorAddress.parse(sensor.address());
    } catch (IllegalArgumentException e) {
      throw new InvalidAddressException(sensor.address(), e.getMessage());
    }
    if (!address.chip().equals("max31855")) {
      throw new InvalidAddressException(
          sensor.address(), "unknown SPI chip '" + address.chip() + "' (known: max31855)");
    }
    Pi4jSpi pi4j =
        context
            .service(Pi4jSpi.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "sensor '" + sensor.role() + "' needs SPI but the agent has no Pi4J SPI"));
    long timeoutMs = longOption(sensor, "bus_timeout_ms", 250);
    Lock busLock =
        context.shared("spi.bus." + address.bus(), Lock.class, () -> new ReentrantLock(true));
    return new Max31855Source(
        sensor.role(),
        address.bus(),
        address.chipSelect(),
        pi4j,
        busLock,
        Duration.ofMillis(timeoutMs),
        context.clock());
  }

  private static long longOption(SensorSpec sensor, String key, long fallback) {
    String v = sensor.options().get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': option " + key + "='" + v + "' is not a whole number");
    }
  }
}
