package io.flexrig.controller.dispatch;

/** What a rig is asked to do during a curtailment. */
public sealed interface Setpoint {

  /** Run at (at most) this input power. */
  record PowerTarget(double powerW) implements Setpoint {
    public PowerTarget {
      if (!(powerW >= 0) || Double.isInfinite(powerW)) {
        throw new IllegalArgumentException("power target must be >= 0 W, got " + powerW);
      }
    }
  }

  /** Stop the workload, keep the control board up. */
  record Sleep() implements Setpoint {}
}
