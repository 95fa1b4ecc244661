package io.flexrig.core.economics;

import java.time.Instant;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * ERCOT's four coincident peaks (4CP): a transmission customer's share of the year's transmission
 * cost is set by its average load during the single highest 15-minute system-load interval of each
 * of June, July, August and September. Being off during those four intervals avoids the charge, but
 * the peaks are only known afterwards, so a site curtails through every interval a forecast flags
 * as likely. This class flags intervals, by a load threshold or as a month's top N, and weighs the
 * avoided charge against the margin lost.
 */
public final class FourCpWindow {

  /** ERCOT settles in 15-minute intervals. */
  public static final double INTERVAL_HOURS = 0.25;

  /** Months are counted in ERCOT's local time (Central Prevailing Time). */
  public static final ZoneId ERCOT_ZONE = ZoneId.of("America/Chicago");

  /** The 4CP months. */
  public static final Set<Month> SEASON =
      EnumSet.of(Month.JUNE, Month.JULY, Month.AUGUST, Month.SEPTEMBER);

  private final double thresholdMw;
  private final int topN;

  private FourCpWindow(double thresholdMw, int topN) {
    this.thresholdMw = thresholdMw;
    this.topN = topN;
  }

  /** Flags every in-season interval whose forecast load reaches {@code thresholdMw}. */
  public static FourCpWindow aboveLoad(double thresholdMw) {
    return new FourCpWindow(Prices.requirePositive("threshold_mw", thresholdMw), 0);
  }

  /** Flags the {@code n} highest-load in-season intervals of each month of the forecast. */
  public static FourCpWindow topIntervals(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("top N needs N >= 1, got " + n);
    }
    return new FourCpWindow(0, n);
  }

  /** Whether the interval falls in a 4CP month. */
  public static boolean inSeason(Instant at) {
    return SEASON.contains(at.atZone(ERCOT_ZONE).getMonth());
  }

  /** The month (in ERCOT local time) an interval counts towards. */
  public static YearMonth monthOf(Instant at) {
    return YearMonth.from(at.atZone(ERCOT_ZONE));
  }

  /**
   * The share of the annual transmission charge one month's peak sets, per kW: a quarter of the
   * yearly rate, since four peaks are averaged.
   */
  public static double avoidedUsdPerKw(double transmissionUsdPerKwYear) {
    return Prices.requireNonNegative("transmission_usd_per_kw_year", transmissionUsdPerKwYear) / 4;
  }

  /** Starts of the flagged intervals, in time order. */
  public List<Instant> likelyPeaks(List<LoadForecast> forecast) {
    List<LoadForecast> season = forecast.stream().filter(f -> inSeason(f.start())).toList();
    if (topN == 0) {
      return season.stream()
          .filter(f -> f.systemLoadMw() >= thresholdMw)
          .map(LoadForecast::start)
          .sorted()
          .toList();
    }
    Map<YearMonth, List<LoadForecast>> byMonth = new TreeMap<>();
    for (LoadForecast f : season) {
      byMonth.computeIfAbsent(monthOf(f.start()), m -> new ArrayList<>()).add(f);
    }
    Set<Instant> flagged = new TreeSet<>();
    for (List<LoadForecast> month : byMonth.values()) {
      // Ties at the cut go to the earlier interval so the result does not depend on input order.
      month.stream()
          .sorted(
              Comparator.comparingDouble(LoadForecast::systemLoadMw)
                  .reversed()
                  .thenComparing(LoadForecast::start))
          .limit(topN)
          .forEach(f -> flagged.add(f.start()));
    }
    return List.copyOf(flagged);
  }

  /** Whether the interval starting at {@code intervalStart} is flagged by this rule. */
  public boolean isLikelyPeak(Instant intervalStart, List<LoadForecast> forecast) {
    return new HashSet<>(likelyPeaks(forecast)).contains(intervalStart);
  }

  /**
   * Weighs one month's window at a constant margin lost per kW-hour curtailed (USD per kWh not
   * drawn, as {@link RigEconomics#marginLostPerKwSleeping} gives it).
   */
  public FourCpAssessment assess(
      YearMonth month,
      List<LoadForecast> forecast,
      double marginLostUsdPerKwh,
      double transmissionUsdPerKwYear) {
    return assess(month, forecast, at -> marginLostUsdPerKwh, transmissionUsdPerKwYear);
  }

  /**
   * Weighs one month's window for a rig under a tariff: in each flagged interval the rig would
   * otherwise run at its best point for that interval's price; an interval in which it would sleep
   * anyway costs nothing to curtail.
   */
  public FourCpAssessment assess(
      YearMonth month,
      List<LoadForecast> forecast,
      StrikePrice rig,
      PowerPrice price,
      double transmissionUsdPerKwYear) {
    return assess(
        month,
        forecast,
        at -> {
          CurtailmentAdvice advice = rig.advise(price, at);
          return advice.running()
              ? rig.rig().marginLostPerKwSleeping(advice.powerW(), advice.priceUsdPerKwh())
              : 0;
        },
        transmissionUsdPerKwYear);
  }

  private FourCpAssessment assess(
      YearMonth month,
      List<LoadForecast> forecast,
      ToDoubleFunction<Instant> marginLostUsdPerKwhAt,
      double transmissionUsdPerKwYear) {
    if (!SEASON.contains(month.getMonth())) {
      return new FourCpAssessment(month, 0, 0, 0);
    }
    List<Instant> flagged =
        likelyPeaks(forecast).stream().filter(at -> monthOf(at).equals(month)).toList();
    double lost = 0;
    for (Instant at : flagged) {
      lost += Math.max(0, marginLostUsdPerKwhAt.applyAsDouble(at)) * INTERVAL_HOURS;
    }
    double avoided = flagged.isEmpty() ? 0 : avoidedUsdPerKw(transmissionUsdPerKwYear);
    return new FourCpAssessment(month, flagged.size(), avoided, lost);
  }

  @Override
  public String toString() {
    return topN > 0
        ? "FourCpWindow[top " + topN + " per month]"
        : "FourCpWindow[>= " + thresholdMw + " MW]";
  }
}
