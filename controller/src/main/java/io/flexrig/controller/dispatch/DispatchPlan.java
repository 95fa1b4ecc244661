package io.flexrig.controller.dispatch;

import java.util.List;
import java.util.Map;

/**
 * The dispatcher's answer.
 *
 * @param setpoints new setpoints only (rigs whose setpoint does not change are absent), by rig id;
 *     the rigs surely in the plan first (in input order), then the marginal ones in merit order
 * @param aimW the site power the plan aims at: the target minus the safety margin, in watts
 * @param expectedSiteW the site power expected once every setpoint is reached, in watts
 * @param shortfallW how far the expected power stays above the target (0 when it is met)
 * @param skipped rigs left out, with the reason, for the operator's log
 */
public record DispatchPlan(
    Map<String, Setpoint> setpoints,
    double aimW,
    double expectedSiteW,
    double shortfallW,
    List<Skipped> skipped) {

  public DispatchPlan {
    setpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setpoints));
    skipped = List.copyOf(skipped);
  }

  /** True when the expected site power reaches the target (best effort otherwise). */
  public boolean targetReachable() {
    return shortfallW <= 0;
  }

  /** A rig the dispatcher could not use, and why. */
  public record Skipped(String rigId, String reason) {}
}
