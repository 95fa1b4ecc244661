package io.flexrig.agent.source;

import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The drivers found on the class path, keyed by address scheme. */
public final class SourceDrivers {
  private final Map<String, SourceDriver> byScheme;

  private SourceDrivers(Map<String, SourceDriver> byScheme) {
    this.byScheme = Map.copyOf(byScheme);
  }

  /** Every {@link SourceDriver} registered in {@code META-INF/services}. */
  public static SourceDrivers load() {
    Map<String, SourceDriver> drivers = new TreeMap<>();
    for (SourceDriver d :
        ServiceLoader.load(SourceDriver.class, SourceDriver.class.getClassLoader())) {
      SourceDriver previous = drivers.putIfAbsent(d.scheme(), d);
      if (previous != null) {
        throw new IllegalStateException(
            "two source drivers for scheme '"
                + d.scheme()
                + "': "
                + previous.getClass().getName()
                + " and "
                + d.getClass().getName());
      }
    }
    return new SourceDrivers(drivers);
  }

  public java.util.Set<String> schemes() {
    return byScheme.keySet();
  }

  /** Opens the sensor with the driver its address scheme names. */
  public Source open(SensorSpec sensor, SourceContext context) throws IOException {
    SourceAddress address = SourceAddress.parse(sensor.address());
    SourceDriver driver = byScheme.get(address.scheme());
    if (driver == null) {
      throw new InvalidAddressException(
          sensor.address(),
          "no driver for scheme '" + address.scheme() + "' (known: " + byScheme.keySet() + ")");
    }
    return driver.open(sensor, context);
  }
}
