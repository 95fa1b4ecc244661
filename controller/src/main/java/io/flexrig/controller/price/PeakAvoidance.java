package io.flexrig.controller.price;

import io.flexrig.core.economics.FourCpAssessment;
import io.flexrig.core.economics.FourCpWindow;
import io.flexrig.core.economics.LoadForecast;
import io.flexrig.core.economics.PowerPrice;
import io.flexrig.core.economics.StrikePrice;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ERCOT 4CP peak avoidance for price-driven dispatch: during an interval the forecast flags as a
 * likely coincident peak, a rig sleeps if curtailing through the month's flagged intervals saves
 * more transmission charge than the margin it gives up ({@link FourCpWindow#assess}).
 */
public final class PeakAvoidance {

  private static final long INTERVAL_S = Duration.ofMinutes(15).toSeconds();

  private final FourCpWindow window;
  private final List<LoadForecast> forecast;
  private final PowerPrice price;
  private final double transmissionUsdPerKwYear;
  private final Set<Instant> likely;
  private final Map<String, FourCpAssessment> assessments = new ConcurrentHashMap<>();

  /**
   * @param window the rule that flags likely peaks
   * @param forecast the system load forecast, 15-minute intervals
   * @param price the tariff the rigs would otherwise pay during those intervals
   * @param transmissionUsdPerKwYear the 4CP transmission charge
   */
  public PeakAvoidance(
      FourCpWindow window,
      List<LoadForecast> forecast,
      PowerPrice price,
      double transmissionUsdPerKwYear) {
    this.window = Objects.requireNonNull(window, "window");
    this.forecast = List.copyOf(forecast);
    this.price = Objects.requireNonNull(price, "price");
    this.transmissionUsdPerKwYear = transmissionUsdPerKwYear;
    this.likely = new HashSet<>(window.likelyPeaks(this.forecast));
  }

  /** Never curtails. */
  public static PeakAvoidance none() {
    return new PeakAvoidance(FourCpWindow.topIntervals(1), List.of(), at -> 0, 0);
  }

  /** Whether the 15-minute interval holding {@code at} is flagged as a likely peak. */
  public boolean likelyPeak(Instant at) {
    long start = Math.floorDiv(at.getEpochSecond(), INTERVAL_S) * INTERVAL_S;
    return likely.contains(Instant.ofEpochSecond(start));
  }

  /** Whether a rig of this model should sleep at {@code at} to avoid a likely peak. */
  public boolean curtail(StrikePrice rig, Instant at) {
    if (!likelyPeak(at)) {
      return false;
    }
    YearMonth month = FourCpWindow.monthOf(at);
    return assessments
        .computeIfAbsent(
            rig.profileId() + "@" + month,
            k -> window.assess(month, forecast, rig, price, transmissionUsdPerKwYear))
        .curtail();
  }
}
