package io.flexrig.agent.source.gpio;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorAddress;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.util.Locale;

/**
 * Driver for {@code gpio:<BCM pin>/<function>} addresses:
 *
 * <ul>
 *   <li>{@code fan_tach}: tachometer input; option {@code pulses_per_revolution} (default 2)
 *   <li>{@code fan_pwm}: PWM fan output at 25 kHz; option {@code min_duty_percent} (default 20)
 *   <li>{@code psu_enable}: relay to the PSU enable line; options {@code active_low} (default
 *       false), {@code safe_state} {@code off} (default) or {@code on}
 * </ul>
 *
 * Needs a {@link Pi4jGpio} service in the context.
 */
public final class GpioDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "gpio";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) throws IOException {
    SensorAddress.Gpio address;
    try {
      address = (SensorAddress.Gpio) SensorAddress.parse(sensor.address());
    } catch (IllegalArgumentException e) {
      throw new InvalidAddressException(sensor.address(), e.getMessage());
    }
    Pi4jGpio gpio =
        context
            .service(Pi4jGpio.class)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "sensor '"
                            + sensor.role()
                            + "' needs GPIO but the agent has no Pi4J GPIO"));
    return switch (address.function()) {
      case "fan_tach" ->
          new FanTachSource(
              sensor.role(),
              address.pin(),
              new FanTachometer(intOption(sensor, "pulses_per_revolution", 2)),
              gpio,
              System::nanoTime,
              context.clock());
      case "fan_pwm" ->
          new PwmFanOutput(
              sensor.role(),
              address.pin(),
              new FanDuty(intOption(sensor, "min_duty_percent", 20)),
              gpio,
              context.clock());
      case "psu_enable" ->
          new PsuEnableRelay(sensor.role(), address.pin(), wiring(sensor), gpio, context.clock());
      default ->
          throw new InvalidAddressException(
              sensor.address(), "unknown GPIO function '" + address.function() + "'");
    };
  }

  private static RelayWiring wiring(SensorSpec sensor) {
    String activeLow = sensor.options().getOrDefault("active_low", "false").strip();
    String safe =
        sensor.options().getOrDefault("safe_state", "off").strip().toLowerCase(Locale.ROOT);
    if (!activeLow.equals("true") && !activeLow.equals("false")) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': active_low must be true or false: " + activeLow);
    }
    if (!safe.equals("on") && !safe.equals("off")) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': safe_state must be on or off: " + safe);
    }
    return new RelayWiring(activeLow.equals("true"), safe.equals("on"));
  }

  private static int intOption(SensorSpec sensor, String key, int fallback) {
    String v = sensor.options().get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': option " + key + "='" + v + "' is not a whole number");
    }
  }
}
