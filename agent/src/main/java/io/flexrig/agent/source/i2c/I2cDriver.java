package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Driver for {@code i2c:} addresses. Chips: {@code ina226} (options {@code shunt_ohm}, {@code
 * current_lsb_a}, {@code psu_efficiency}, default 1.0). Needs a {@link Pi4jI2c} service in the
 * context; all sources on one bus share one fair lock.
 */
public final class I2cDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "i2c";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) throws IOException {
    I2cAddress address = I2cAddress.parse(sensor.address());
    if (!address.chip().equals("ina226")) {
      throw new InvalidAddressException(
          sensor.address(), "unknown chip '" + address.chip() + "' (known: ina226)");
    }
    Pi4jI2c pi4j =
        context
            .service(Pi4jI2c.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "sensor '"
                            + sensor.role()
                            + "' needs I2C but the agent has no Pi4J context"));
    Ina226 chip =
        new Ina226(
            doubleOption(sensor, "shunt_ohm", null), doubleOption(sensor, "current_lsb_a", null));
    double efficiency = doubleOption(sensor, "psu_efficiency", 1.0);
    Lock busLock =
        context.shared("i2c.bus." + address.bus(), Lock.class, () -> new ReentrantLock(true));
    return new Ina226Source(
        sensor.role(), address, chip, efficiency, pi4j, busLock, context.clock());
  }

  private static double doubleOption(SensorSpec sensor, String key, Double fallback) {
    String v = sensor.options().get(key);
    if (v == null) {
      if (fallback == null) {
        throw new IllegalArgumentException(
            "sensor '"
                + sensor.role()
                + "' ("
                + sensor.address()
                + "): option "
                + key
                + " is required");
      }
      return fallback;
    }
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': option " + key + "='" + v + "' is not a number");
    }
  }
}
