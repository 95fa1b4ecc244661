package io.flexrig.controller.dispatch;

import java.util.Objects;
import java.util.Optional;

/**
 * One rig as the dispatcher sees it.
 *
 * @param rigId the rig
 * @param measuredPowerW latest usable measured input power in watts; empty when the rig has no
 *     fresh telemetry (such rigs are never dispatched: nothing would verify the result)
 * @param efficiencyJPerTh nameplate efficiency; 0 when unknown (GPU rigs), which sorts last
 * @param sleepPowerW power drawn while asleep, in watts
 * @param powerTarget the power-target knob, if the rig has one
 * @param sleep the sleep knob, if the rig has one (only its latency matters)
 * @param current the setpoint the rig already holds for this event, if any
 */
public record DispatchRig(
    String rigId,
    Optional<Double> measuredPowerW,
    double efficiencyJPerTh,
    double sleepPowerW,
    Optional<KnobRange> powerTarget,
    Optional<KnobRange> sleep,
    Optional<Setpoint> current) {

  public DispatchRig {
    Objects.requireNonNull(rigId, "rigId");
    Objects.requireNonNull(measuredPowerW, "measuredPowerW");
    Objects.requireNonNull(powerTarget, "powerTarget");
    Objects.requireNonNull(sleep, "sleep");
    Objects.requireNonNull(current, "current");
    if (!(sleepPowerW >= 0)) {
      sleepPowerW = 0;
    }
  }

  boolean asleep() {
    return current.orElse(null) instanceof Setpoint.Sleep;
  }
}
