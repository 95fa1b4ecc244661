package io.flexrig.agent.source.gpio;

/**
 * The duty cycles a PWM fan may be driven at. Many fans stop or stall below a minimum duty and
 * restart unreliably, so every request is clamped to [min, 100] %, and the safe duty (applied at
 * open, on shutdown and when the agent cannot decide) is full speed. Pure.
 *
 * @param minPercent the lowest duty the fan runs reliably at, 0 to 100
 */
public record FanDuty(int minPercent) {
  public static final int SAFE_PERCENT = 100;

  public FanDuty {
    if (minPercent < 0 || minPercent > 100) {
      throw new IllegalArgumentException("min_duty_percent must be 0 to 100: " + minPercent);
    }
  }

  /** The duty actually applied for a request, in whole percent. */
  public int clamp(double requestedPercent) {
    if (!Double.isFinite(requestedPercent)) {
      return SAFE_PERCENT;
    }
    long p = Math.round(requestedPercent);
    return (int) Math.max(minPercent, Math.min(100, p));
  }
}
