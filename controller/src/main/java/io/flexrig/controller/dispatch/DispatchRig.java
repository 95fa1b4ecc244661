package io.flexrig.controller.dispatch;

import java.util.Objects;
import java.util.Optional;

/**
 * One rig as the dispatcher sees it.
 *
 * @param rigId the rig
 * @param measuredPowerW latest usable measured input power in watts; empty when the rig has no
 *     fresh telemetry (such rigs are never dispatched: nothing would verify the result)
 * @param efficiencyJPerTh nameplate efficiency; 0 when unknown (GPU rigs)
 * @param sleepPowerW power drawn while asleep, in watts
 * @param powerTarget the power-target knob, if the rig has one
 * @param sleep the sleep knob, if the rig has one (only its latency matters)
 * @param current the setpoint the rig already holds for this event, if any
 * @param nameplateW the power the rig returns to when released, in watts
 * @param revenue what the rig earns along its power curve; empty when unknown (the dispatcher then
 *     values it from its nameplate efficiency, see {@link Dispatcher})
 * @param pacing ramp limit, minimum on/off times and the rig's clock against them
 */
public record DispatchRig(
    String rigId,
    Optional<Double> measuredPowerW,
    double efficiencyJPerTh,
    double sleepPowerW,
    Optional<KnobRange> powerTarget,
    Optional<KnobRange> sleep,
    Optional<Setpoint> current,
    double nameplateW,
    Optional<RevenueCurve> revenue,
    Pacing pacing) {

  public DispatchRig {
    Objects.requireNonNull(rigId, "rigId");
    Objects.requireNonNull(measuredPowerW, "measuredPowerW");
    Objects.requireNonNull(powerTarget, "powerTarget");
    Objects.requireNonNull(sleep, "sleep");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(revenue, "revenue");
    Objects.requireNonNull(pacing, "pacing");
    if (!(sleepPowerW >= 0)) {
      sleepPowerW = 0;
    }
    if (!(nameplateW > 0) || Double.isInfinite(nameplateW)) {
      nameplateW =
          Math.max(measuredPowerW.orElse(0.0), powerTarget.map(KnobRange::maxPowerW).orElse(0.0));
    }
  }

  /** A rig without known economics or time rules; released to its measured or knob power. */
  public DispatchRig(
      String rigId,
      Optional<Double> measuredPowerW,
      double efficiencyJPerTh,
      double sleepPowerW,
      Optional<KnobRange> powerTarget,
      Optional<KnobRange> sleep,
      Optional<Setpoint> current) {
    this(
        rigId,
        measuredPowerW,
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        current,
        0,
        Optional.empty(),
        Pacing.NONE);
  }

  /** The same rig valued along this revenue curve. */
  public DispatchRig withRevenue(RevenueCurve curve) {
    return new DispatchRig(
        rigId,
        measuredPowerW,
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        current,
        nameplateW,
        Optional.of(curve),
        pacing);
  }

  /** The same rig under these time rules. */
  public DispatchRig withPacing(Pacing newPacing) {
    return new DispatchRig(
        rigId,
        measuredPowerW,
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        current,
        nameplateW,
        revenue,
        newPacing);
  }

  /** The same rig released to this power. */
  public DispatchRig withNameplate(double powerW) {
    return new DispatchRig(
        rigId,
        measuredPowerW,
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        current,
        powerW,
        revenue,
        pacing);
  }

  /** The same rig measured at another power. */
  public DispatchRig measuring(double powerW) {
    return new DispatchRig(
        rigId,
        Optional.of(powerW),
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        current,
        nameplateW,
        revenue,
        pacing);
  }

  /** The same rig holding this setpoint. */
  public DispatchRig holding(Setpoint setpoint) {
    return new DispatchRig(
        rigId,
        measuredPowerW,
        efficiencyJPerTh,
        sleepPowerW,
        powerTarget,
        sleep,
        Optional.of(setpoint),
        nameplateW,
        revenue,
        pacing);
  }

  boolean asleep() {
    return current.orElse(null) instanceof Setpoint.Sleep;
  }
}
