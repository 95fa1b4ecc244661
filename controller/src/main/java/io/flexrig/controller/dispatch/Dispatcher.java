package io.flexrig.controller.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a site target ("stay at or below X W") into per-rig setpoints.
 *
 * <p>The rule, deliberately simple until the economics module exists:
 *
 * <ol>
 *   <li>Aim below the target by a safety margin (default 2.5 %), so measurement noise and ramp
 *       overshoot do not put the site back over the line.
 *   <li>Merit order: worst nameplate efficiency (highest J/TH) first, because such a rig earns the
 *       least per kWh, so shedding it loses the least margin per kW shed. Rigs with an unknown
 *       efficiency (0, e.g. GPU rigs whose value is AI work) come last; ties break by rig id so a
 *       plan is reproducible.
 *   <li>Stage 1, partial curtailment: walk the merit order and lower each rig's power target down
 *       to its knob's minimum; the marginal rig gets a partial target so the site lands at the aim.
 *   <li>Stage 2, only if stage 1 cannot reach the aim: put rigs to sleep in the same order. The
 *       last sleep may overshoot the aim (a rig cannot half-sleep).
 *   <li>Rigs without fresh telemetry are skipped (nothing would verify the result); a knob whose
 *       latency exceeds the time left to the deadline is skipped (once the deadline has passed
 *       every knob counts again: late is better than never). A rig that holds a power target but
 *       measures well above it is treated as not following it and goes straight to stage 2.
 *   <li>When the fleet cannot reach the target, the plan is best effort and reports the shortfall.
 * </ol>
 *
 * <p>Pure: no I/O, no clock, no gRPC or JDBC types; the closed loop calls it again with fresh
 * measurements and the setpoints already held.
 */
public final class Dispatcher {

  /** Fraction of the target kept as headroom. */
  public static final double DEFAULT_SAFETY_MARGIN = 0.025;

  // A rig within this much of its power target counts as following it (meters and firmware
  // regulation are not exact).
  private static final double FOLLOW_TOLERANCE = 0.05;
  private static final double FOLLOW_TOLERANCE_W = 50;
  // Setpoint changes smaller than this are not worth a command.
  private static final double MIN_CHANGE_W = 1;

  private static final Comparator<DispatchRig> MERIT_ORDER =
      Comparator.comparing((DispatchRig r) -> r.efficiencyJPerTh() <= 0)
          .thenComparing(DispatchRig::efficiencyJPerTh, Comparator.reverseOrder())
          .thenComparing(DispatchRig::rigId);

  private final double safetyMargin;

  public Dispatcher() {
    this(DEFAULT_SAFETY_MARGIN);
  }

  public Dispatcher(double safetyMargin) {
    if (!(safetyMargin >= 0 && safetyMargin < 0.5)) {
      throw new IllegalArgumentException("safety margin must be in [0, 0.5), got " + safetyMargin);
    }
    this.safetyMargin = safetyMargin;
  }

  /**
   * Plans setpoints for one site.
   *
   * @param siteTargetW the site must stay at or below this, in watts
   * @param siteMeasuredW the site's measured power now, in watts (may include load the dispatcher
   *     cannot control)
   * @param timeToDeadline time left until the target must be met; zero or negative once passed
   * @param rigs the site's rigs that could receive a command
   */
  public DispatchPlan plan(
      double siteTargetW, double siteMeasuredW, Duration timeToDeadline, List<DispatchRig> rigs) {
    if (!(siteTargetW >= 0)) {
      throw new IllegalArgumentException("site target must be >= 0 W, got " + siteTargetW);
    }
    double aimW = siteTargetW * (1 - safetyMargin);
    double needW = siteMeasuredW - aimW;
    Map<String, Setpoint> setpoints = new LinkedHashMap<>();
    List<DispatchPlan.Skipped> skipped = new ArrayList<>();
    if (needW <= 0) {
      return new DispatchPlan(
          setpoints, aimW, siteMeasuredW, Math.max(0, siteMeasuredW - siteTargetW), skipped);
    }
    boolean deadlinePassed = timeToDeadline.isZero() || timeToDeadline.isNegative();
    double secondsLeft = timeToDeadline.toMillis() / 1000.0;

    List<Candidate> order = new ArrayList<>();
    for (DispatchRig rig : rigs.stream().sorted(MERIT_ORDER).toList()) {
      if (rig.measuredPowerW().isEmpty()) {
        skipped.add(new DispatchPlan.Skipped(rig.rigId(), "no fresh telemetry"));
        continue;
      }
      boolean targetUsable =
          rig.powerTarget().isPresent()
              && (deadlinePassed || rig.powerTarget().get().latencyS() <= secondsLeft);
      boolean sleepUsable =
          rig.sleep().isPresent()
              && (deadlinePassed || rig.sleep().get().latencyS() <= secondsLeft);
      if (!targetUsable && !sleepUsable) {
        skipped.add(
            new DispatchPlan.Skipped(
                rig.rigId(),
                rig.powerTarget().isEmpty() && rig.sleep().isEmpty()
                    ? "no power-target or sleep knob"
                    : "knob latency exceeds the time left to the deadline"));
        continue;
      }
      order.add(new Candidate(rig, rig.measuredPowerW().get(), targetUsable, sleepUsable));
    }

    double shedW = 0;
    // Stage 1: lower power targets, worst efficiency first, each at most to its minimum.
    for (Candidate c : order) {
      if (needW - shedW <= 0) {
        break;
      }
      if (!c.targetUsable || c.rig.asleep() || !followsCurrentTarget(c)) {
        continue;
      }
      KnobRange knob = c.rig.powerTarget().get();
      double from = Math.min(c.plannedW, knob.maxPowerW());
      if (from <= knob.minPowerW()) {
        continue;
      }
      double cut = Math.min(from - knob.minPowerW(), needW - shedW);
      double target = from - cut;
      shedW += c.plannedW - target;
      c.plannedW = target;
      setpoints.put(c.rig.rigId(), new Setpoint.PowerTarget(target));
    }
    // Stage 2: only if still short, sleep rigs in the same order.
    for (Candidate c : order) {
      if (needW - shedW <= 0) {
        break;
      }
      if (!c.sleepUsable || c.rig.asleep() || c.plannedW <= c.rig.sleepPowerW()) {
        continue;
      }
      shedW += c.plannedW - c.rig.sleepPowerW();
      c.plannedW = c.rig.sleepPowerW();
      setpoints.put(c.rig.rigId(), new Setpoint.Sleep());
    }
    // By id, so dropping unchanged setpoints stays linear in the fleet size (a scan per setpoint
    // made 100,000 rigs take seconds).
    Map<String, Candidate> byId = new HashMap<>(order.size() * 2);
    for (Candidate c : order) {
      byId.put(c.rig.rigId(), c);
    }
    setpoints.entrySet().removeIf(e -> unchanged(byId.get(e.getKey()), e.getValue()));

    double expectedW = siteMeasuredW - shedW;
    return new DispatchPlan(
        setpoints, aimW, expectedW, Math.max(0, expectedW - siteTargetW), skipped);
  }

  private static boolean followsCurrentTarget(Candidate c) {
    if (c.rig.current().orElse(null) instanceof Setpoint.PowerTarget(double held)) {
      return c.measuredW <= held * (1 + FOLLOW_TOLERANCE) + FOLLOW_TOLERANCE_W;
    }
    return true;
  }

  private static boolean unchanged(Candidate c, Setpoint next) {
    if (c == null) {
      return false;
    }
    Setpoint held = c.rig.current().orElse(null);
    if (held instanceof Setpoint.PowerTarget(double h)
        && next instanceof Setpoint.PowerTarget(double n)) {
      return Math.abs(h - n) < MIN_CHANGE_W;
    }
    return held != null && held.equals(next);
  }

  private static final class Candidate {
    final DispatchRig rig;
    final double measuredW;
    final boolean targetUsable;
    final boolean sleepUsable;
    double plannedW;

    Candidate(DispatchRig rig, double measuredW, boolean targetUsable, boolean sleepUsable) {
      this.rig = rig;
      this.measuredW = measuredW;
      this.targetUsable = targetUsable;
      this.sleepUsable = sleepUsable;
      this.plannedW = measuredW;
    }
  }
}
