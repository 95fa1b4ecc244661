package io.flexrig.agent.sampler;

import io.flexrig.agent.source.Quality;

/**
 * One figure of a snapshot with its quality and the reading it came from.
 *
 * @param value the value; {@code NaN} when there is none
 * @param quality how far it can be trusted
 * @param source name of the reading it was taken from; empty when there is none
 */
public record Measurement(double value, Quality quality, String source) {
  public static final Measurement NONE = new Measurement(Double.NaN, Quality.BAD, "");

  /** True when the value may be used for decisions (GOOD or UNCERTAIN with a number). */
  public boolean usable() {
    return quality != Quality.BAD && Double.isFinite(value);
  }

  /** The value, or {@code fallback} when there is none (e.g. 0 on the wire). */
  public double valueOr(double fallback) {
    return Double.isFinite(value) ? value : fallback;
  }
}
