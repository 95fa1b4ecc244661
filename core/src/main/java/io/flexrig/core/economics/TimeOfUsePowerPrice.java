package io.flexrig.core.economics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A time-of-use tariff: prices by local time of day, weekday or weekend and season, in the
 * utility's time zone (so daylight-saving shifts move the periods as the tariff sheet does).
 * Periods are tried in order; the first that matches wins, otherwise the base price applies.
 *
 * @param zone the tariff's local time zone, e.g. {@code America/Chicago}
 * @param baseUsdPerKwh the price when no period matches (usually off-peak)
 * @param periods the priced periods, most specific first
 */
public record TimeOfUsePowerPrice(ZoneId zone, double baseUsdPerKwh, List<Period> periods)
    implements PowerPrice {

  public TimeOfUsePowerPrice {
    Prices.requireFinite("base_usd_per_kwh", baseUsdPerKwh);
    periods = List.copyOf(periods);
  }

  /** Which days a period applies to. Holidays are not modelled: tariffs list them yearly. */
  public enum Days {
    WEEKDAYS,
    WEEKENDS,
    ALL;

    boolean include(DayOfWeek day) {
      boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
      return switch (this) {
        case WEEKDAYS -> !weekend;
        case WEEKENDS -> weekend;
        case ALL -> true;
      };
    }
  }

  /**
   * One priced period: from {@code start} (inclusive) to {@code end} (exclusive) local time. A
   * period whose end is not after its start runs over midnight (e.g. 22:00-06:00); the day and
   * month tests use the day the period started on.
   *
   * @param name label for reports, e.g. {@code on-peak}
   * @param months months the period applies in; empty means all year
   */
  public record Period(
      String name, Days days, Set<Month> months, LocalTime start, LocalTime end, double usdPerKwh) {

    public Period {
      months = months.isEmpty() ? EnumSet.allOf(Month.class) : EnumSet.copyOf(months);
      Prices.requireFinite(name + ".usd_per_kwh", usdPerKwh);
      if (start.equals(end)) {
        throw new IllegalArgumentException(name + ": start and end are both " + start);
      }
    }

    /** A period on all months of the year. */
    public static Period of(
        String name, Days days, LocalTime start, LocalTime end, double usdPerKwh) {
      return new Period(name, days, Set.of(), start, end, usdPerKwh);
    }

    boolean covers(ZonedDateTime local) {
      LocalTime t = local.toLocalTime();
      if (start.isBefore(end)) {
        return !t.isBefore(start) && t.isBefore(end) && applies(local);
      }
      // Over midnight: the evening part belongs to today, the morning part to yesterday's period.
      if (!t.isBefore(start)) {
        return applies(local);
      }
      return t.isBefore(end) && applies(local.minusDays(1));
    }

    private boolean applies(ZonedDateTime day) {
      return days.include(day.getDayOfWeek()) && months.contains(day.getMonth());
    }
  }

  @Override
  public double usdPerKwhAt(Instant at) {
    return periodAt(at).map(Period::usdPerKwh).orElse(baseUsdPerKwh);
  }

  /** The period in force, empty when the base price applies. */
  public Optional<Period> periodAt(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    return periods.stream().filter(p -> p.covers(local)).findFirst();
  }
}
