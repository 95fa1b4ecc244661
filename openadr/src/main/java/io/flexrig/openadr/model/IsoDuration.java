package io.flexrig.openadr.model;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ISO 8601 duration as the spec allows it ({@code P1Y2M3DT4H5M6.5S}, {@code P2W}). {@link
 * Duration#parse} rejects years, months and weeks, so the date part is kept as a calendar {@link
 * Period} and applied to a start instant in UTC.
 */
public record IsoDuration(boolean negative, Period datePart, Duration timePart) {
  /** {@code P9999Y}: the spec's "infinity", used for "until further notice" events. */
  public static final String INFINITY = "P9999Y";

  /** What an open-ended interval lasts when a length is needed: long, but safe to add. */
  public static final Duration OPEN_ENDED = Duration.ofDays(9999L * 365);

  // The pattern of the spec's duration schema.
  private static final Pattern SPEC =
      Pattern.compile(
          "^(-?)P(?=\\d|T\\d)(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)([DW]))?"
              + "(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$");

  /** Parses a duration string; throws {@link IllegalArgumentException} naming the bad value. */
  public static IsoDuration parse(String text) {
    Matcher m = SPEC.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an ISO 8601 duration: '" + text + "'");
    }
    int days = number(m.group(4));
    Period date =
        Period.of(number(m.group(2)), number(m.group(3)), "W".equals(m.group(5)) ? days * 7 : days);
    BigDecimal seconds = m.group(8) == null ? BigDecimal.ZERO : new BigDecimal(m.group(8));
    Duration time =
        Duration.ofHours(number(m.group(6)))
            .plusMinutes(number(m.group(7)))
            .plusNanos(seconds.movePointRight(9).longValueExact());
    return new IsoDuration("-".equals(m.group(1)), date, time);
  }

  /** True for {@code P9999Y} and longer: "until further notice". */
  public boolean isOpenEnded() {
    return !negative && datePart.getYears() >= 9999;
  }

  /** True for {@code PT0S} and the like. */
  public boolean isZero() {
    return datePart.isZero() && timePart.isZero();
  }

  /** The end of a window of this length starting at {@code start} (calendar-aware in UTC). */
  public Instant addTo(Instant start) {
    if (isOpenEnded()) {
      return start.plus(OPEN_ENDED);
    }
    var t = start.atOffset(ZoneOffset.UTC);
    t = negative ? t.minus(datePart).minus(timePart) : t.plus(datePart).plus(timePart);
    return t.toInstant();
  }

  /** The length of a window of this duration starting at {@code start}. */
  public Duration lengthFrom(Instant start) {
    return Duration.between(start, addTo(start));
  }

  private static int number(String group) {
    return group == null ? 0 : Integer.parseInt(group);
  }
}
