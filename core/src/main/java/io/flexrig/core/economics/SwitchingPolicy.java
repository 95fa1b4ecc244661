package io.flexrig.core.economics;

import java.time.Duration;

/**
 * What a change of workload costs and how long a choice is kept, so small price moves do not make a
 * site flap between mining and AI (each swap drains jobs, reloads models or restarts hashboards).
 *
 * @param switchingCostUsd one-off cost of a change: revenue lost while draining, warming up or
 *     reloading
 * @param minHold a choice is kept at least this long; the switching cost is amortised over it
 * @param deadbandUsdPerHour an alternative must beat the current choice by at least this much on
 *     top of the amortised switching cost
 */
public record SwitchingPolicy(
    double switchingCostUsd, Duration minHold, double deadbandUsdPerHour) {

  public SwitchingPolicy {
    Prices.requireNonNegative("switching_cost_usd", switchingCostUsd);
    Prices.requireNonNegative("deadband_usd_per_hour", deadbandUsdPerHour);
    if (minHold.isNegative() || minHold.isZero()) {
      throw new IllegalArgumentException("min hold must be positive, got " + minHold);
    }
  }

  /** Hourly gain an alternative needs before it is worth switching to. */
  public double switchThresholdUsdPerHour() {
    return deadbandUsdPerHour + switchingCostUsd / (minHold.toMillis() / 3_600_000.0);
  }
}
