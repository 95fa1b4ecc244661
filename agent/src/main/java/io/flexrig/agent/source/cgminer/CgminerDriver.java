package io.flexrig.agent.source.cgminer;

import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorSpec;
import java.time.Duration;

/**
 * Driver for {@code cgminer:} addresses. Options: {@code connect_timeout_ms} (default 1000), {@code
 * read_timeout_ms} (default 2000).
 */
public final class CgminerDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "cgminer";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) {
    return new CgminerSource(sensor.role(), client(sensor), context.clock());
  }

  /** The API client for a sensor's address and timeouts; also used for the miner's knobs. */
  public static CgminerClient client(SensorSpec sensor) {
    CgminerAddress address = CgminerAddress.parse(sensor.address());
    return new CgminerClient(
        address,
        Duration.ofMillis(longOption(sensor, "connect_timeout_ms", 1000)),
        Duration.ofMillis(longOption(sensor, "read_timeout_ms", 2000)));
  }

  static long longOption(SensorSpec sensor, String key, long fallback) {
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
