package io.flexrig.agent.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One value from one source.
 *
 * @param name what was measured, e.g. {@code outlet_power} or {@code miner.hashrate_5s}
 * @param value the value in {@code unit}; {@code NaN} when the quality is BAD and no value exists
 * @param unit unit symbol: W, V, A, C, rpm, TH/s, Hz, or empty for counts
 * @param quality how far the value can be trusted
 * @param readAt when the source produced the value
 */
public record Reading(String name, double value, String unit, Quality quality, Instant readAt) {

  public Reading {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(readAt, "readAt");
  }

  public static Reading good(String name, double value, String unit, Instant readAt) {
    return new Reading(name, value, unit, Quality.GOOD, readAt);
  }

  public static Reading bad(String name, String unit, Instant readAt) {
    return new Reading(name, Double.NaN, unit, Quality.BAD, readAt);
  }

  /** The same value with another quality (e.g. degraded because it went stale). */
  public Reading withQuality(Quality newQuality) {
    return newQuality == quality ? this : new Reading(name, value, unit, newQuality, readAt);
  }
}
