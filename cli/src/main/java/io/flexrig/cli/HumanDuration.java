package io.flexrig.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators type and read them: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d},
 * {@code 500ms}, or ISO-8601 ({@code PT10M}).
 */
final class HumanDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private HumanDuration() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
   */
  static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw new IllegalArgumentException(invalid(text));
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(invalid(text), e);
      }
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(invalid(text));
      }
      total = total.plus(part(Double.parseDouble(m.group(1)), m.group(2)));
      at = m.end();
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException(invalid(text));
    }
    return total;
  }

  private static Duration part(double value, String unit) {
    double nanosPerUnit =
        switch (unit) {
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          case "h" -> 3600e9;
          default -> 86_400e9; // "d"
        };
    double nanos = value * nanosPerUnit;
    if (nanos > Long.MAX_VALUE) {
      throw new IllegalArgumentException("duration too long: " + value + unit);
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static String invalid(String text) {
    return "'" + text + "' is not a duration; use e.g. 90s, 10m, 1h30m, 2d";
  }

  /**
   * The two most significant units, rounded down to whole seconds: {@code 42s}, {@code 5m30s},
   * {@code 1h5m}, {@code 2d3h}; {@code 0s} below one second.
   */
  static String format(Duration d) {
    long s = Math.abs(d.getSeconds() + (d.isNegative() && d.getNano() > 0 ? 1 : 0));
    long days = s / 86_400;
    long hours = s % 86_400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    if (days > 0) {
      return hours > 0 ? days + "d" + hours + "h" : days + "d";
    }
    if (hours > 0) {
      return minutes > 0 ? hours + "h" + minutes + "m" : hours + "h";
    }
    if (minutes > 0) {
      return seconds > 0 ? minutes + "m" + seconds + "s" : minutes + "m";
    }
    return seconds + "s";
  }
}
