package io.flexrig.controller.price;

import java.time.Duration;
import java.util.function.Function;

/** Reads the controller's {@code name=value} options with errors that name the option. */
public final class OptionValues {
  private OptionValues() {}

  /** The option's value, stripped; null when not given or blank. */
  public static String value(Function<String, String> option, String key) {
    String v = option.apply(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /**
   * @throws IllegalArgumentException naming the option when {@code raw} is not a finite number
   */
  public static double number(String key, String raw) {
    try {
      double v = Double.parseDouble(raw);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + key + ": expected a number, got '" + raw + "'");
  }

  /** The option as a number, or {@code otherwise} when not given. */
  public static double number(Function<String, String> option, String key, double otherwise) {
    String raw = value(option, key);
    return raw == null ? otherwise : number(key, raw);
  }

  /** A number of seconds (fractions allowed), or {@code otherwise} when not given. */
  public static Duration seconds(String key, String raw, Duration otherwise) {
    return raw == null ? otherwise : Duration.ofMillis(Math.round(number(key, raw) * 1000));
  }
}
