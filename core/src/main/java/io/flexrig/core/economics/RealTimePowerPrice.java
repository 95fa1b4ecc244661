package io.flexrig.core.economics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A published series of interval prices: 5-minute real-time LMPs, 15-minute settlement point prices
 * or the intervals of an OpenADR {@code PRICE} event. Between and outside the intervals the price
 * is the fallback (e.g. the retail contract rate) or, without one, unknown: asking for it throws
 * {@link PriceNotPublishedException} rather than guess.
 *
 * @param intervals non-overlapping intervals, sorted by start on construction
 * @param fallbackUsdPerKwh the price where no interval covers the instant, if any
 */
public record RealTimePowerPrice(List<Interval> intervals, OptionalDouble fallbackUsdPerKwh)
    implements PowerPrice {

  /**
   * One priced interval, {@code [start, start + duration)}.
   *
   * @param usdPerKwh USD per kWh; markets quote USD per MWh, see {@link #ofUsdPerMwh}
   */
  public record Interval(Instant start, Duration duration, double usdPerKwh) {
    public Interval {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("interval at " + start + " has no duration");
      }
      Prices.requireFinite("usd_per_kwh", usdPerKwh);
    }

    /** An interval priced as markets quote it, in USD per MWh. */
    public static Interval ofUsdPerMwh(Instant start, Duration duration, double usdPerMwh) {
      return new Interval(start, duration, usdPerMwh / 1000);
    }

    public Instant end() {
      return start.plus(duration);
    }

    boolean covers(Instant at) {
      return !at.isBefore(start) && at.isBefore(end());
    }
  }

  public RealTimePowerPrice {
    List<Interval> sorted = new ArrayList<>(intervals);
    sorted.sort(Comparator.comparing(Interval::start));
    for (int i = 1; i < sorted.size(); i++) {
      Interval prev = sorted.get(i - 1);
      Interval next = sorted.get(i);
      if (next.start().isBefore(prev.end())) {
        throw new IllegalArgumentException(
            "price intervals overlap: "
                + prev.start()
                + " lasts until "
                + prev.end()
                + " but the next starts at "
                + next.start());
      }
    }
    intervals = List.copyOf(sorted);
    fallbackUsdPerKwh.ifPresent(f -> Prices.requireFinite("fallback_usd_per_kwh", f));
  }

  /** A series that throws outside its intervals. */
  public static RealTimePowerPrice strict(List<Interval> intervals) {
    return new RealTimePowerPrice(intervals, OptionalDouble.empty());
  }

  /** A series that falls back to a fixed price outside its intervals. */
  public static RealTimePowerPrice withFallback(List<Interval> intervals, double usdPerKwh) {
    return new RealTimePowerPrice(intervals, OptionalDouble.of(usdPerKwh));
  }

  /** Equal back-to-back intervals from {@code start}, prices in USD per MWh as markets quote. */
  public static List<Interval> consecutive(
      Instant start, Duration each, List<? extends Number> usdPerMwh) {
    List<Interval> out = new ArrayList<>(usdPerMwh.size());
    for (int i = 0; i < usdPerMwh.size(); i++) {
      out.add(
          Interval.ofUsdPerMwh(
              start.plus(each.multipliedBy(i)), each, usdPerMwh.get(i).doubleValue()));
    }
    return out;
  }

  @Override
  public double usdPerKwhAt(Instant at) {
    Interval covering = intervalAt(at);
    if (covering != null) {
      return covering.usdPerKwh();
    }
    if (fallbackUsdPerKwh.isPresent()) {
      return fallbackUsdPerKwh.getAsDouble();
    }
    String detail =
        intervals.isEmpty()
            ? "the series is empty"
            : "the series covers "
                + intervals.getFirst().start()
                + " .. "
                + intervals.getLast().end()
                + " with no interval at this instant";
    throw new PriceNotPublishedException(at, detail);
  }

  /** Whether an interval of the series covers the instant (the fallback does not count). */
  public boolean covers(Instant at) {
    return intervalAt(at) != null;
  }

  private Interval intervalAt(Instant at) {
    // Binary search for the last interval starting at or before the instant.
    int lo = 0;
    int hi = intervals.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (intervals.get(mid).start().isAfter(at)) {
        hi = mid - 1;
      } else {
        found = mid;
        lo = mid + 1;
      }
    }
    return found >= 0 && intervals.get(found).covers(at) ? intervals.get(found) : null;
  }
}
