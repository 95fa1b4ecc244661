package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Driver for {@code i2c:<bus>/<device>/<chip>} addresses; the chip name picks the decoder:
 *
 * <ul>
 *   <li>{@code ina226}: options {@code shunt_ohm}, {@code current_lsb_a} (required), {@code
 *       psu_efficiency} (default 1.0)
 *   <li>{@code ina219}: the same options as {@code ina226}
 *   <li>{@code ina260}: {@code psu_efficiency}
 *   <li>{@code pmbus}: a PMBus PSU, no options
 *   <li>{@code tmp117}: no options
 *   <li>{@code lm75}: {@code bits}, the resolution, 9 (default) to 11
 * </ul>
 *
 * All chips take {@code bus_timeout_ms} (default 250): how long a transaction waits for the bus.
 * Needs a {@link Pi4jI2c} service in the context; all sources on one bus share one fair lock.
 */
public final class I2cDriver implements SourceDriver {

  /** The chip names this driver knows. */
  public static final List<String> CHIPS =
      List.of("ina219", "ina226", "ina260", "lm75", "pmbus", "tmp117");

  @Override
  public String scheme() {
    return "i2c";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) throws IOException {
    I2cAddress address = I2cAddress.parse(sensor.address());
    if (!CHIPS.contains(address.chip())) {
      throw new InvalidAddressException(
          sensor.address(), "unknown chip '" + address.chip() + "' (known: " + CHIPS + ")");
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
    Lock busLock =
        context.shared("i2c.bus." + address.bus(), Lock.class, () -> new ReentrantLock(true));
    Duration busTimeout =
        Duration.ofMillis(
            (long)
                doubleOption(
                    sensor, "bus_timeout_ms", (double) I2cChip.DEFAULT_BUS_TIMEOUT.toMillis()));
    double efficiency = doubleOption(sensor, "psu_efficiency", 1.0);
    if (address.chip().equals("ina226")) {
      Ina226 chip =
          new Ina226(
              doubleOption(sensor, "shunt_ohm", null), doubleOption(sensor, "current_lsb_a", null));
      return new Ina226Source(
          sensor.role(), address, chip, efficiency, pi4j, busLock, busTimeout, context.clock());
    }
    // Parse every option before the device is opened, so a typo never leaks a device handle.
    Ina219 ina219 =
        address.chip().equals("ina219")
            ? new Ina219(
                doubleOption(sensor, "shunt_ohm", null),
                doubleOption(sensor, "current_lsb_a", null))
            : null;
    Lm75 lm75 =
        address.chip().equals("lm75") ? new Lm75((int) doubleOption(sensor, "bits", 9.0)) : null;
    I2cChip chip = new I2cChip(address, sensor.role(), pi4j, busLock, busTimeout);
    return switch (address.chip()) {
      case "ina219" -> new Ina219Source(sensor.role(), chip, ina219, efficiency, context.clock());
      case "ina260" -> new Ina260Source(sensor.role(), chip, efficiency, context.clock());
      case "pmbus" -> new PmbusPsuSource(sensor.role(), chip, context.clock());
      case "tmp117" -> TemperatureSource.tmp117(sensor.role(), chip, context.clock());
      case "lm75" -> TemperatureSource.lm75(sensor.role(), chip, lm75, context.clock());
      default -> throw new IllegalStateException("unreachable: " + address.chip());
    };
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
