package io.flexrig.controller.dispatch;

/**
 * The time rules of one rig and where it stands against them, so the dispatcher neither asks for
 * more than the rig can do before the deadline nor makes it flap.
 *
 * @param rampWPerS fastest change of a power target, W/s; 0 when unlimited
 * @param minOnS a rig woken this recently (seconds) is not put back to sleep
 * @param minOffS a rig asleep for less than this (seconds) is not woken
 * @param sinceOnOffS seconds since the rig last went to sleep or woke; infinite when unknown
 * @param sinceSetpointS seconds since the rig's current setpoint was sent; infinite when none
 */
public record Pacing(
    double rampWPerS, double minOnS, double minOffS, double sinceOnOffS, double sinceSetpointS) {

  /** No limits, no recent change. */
  public static final Pacing NONE =
      new Pacing(0, 0, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

  public Pacing {
    if (!(rampWPerS >= 0) || !(minOnS >= 0) || !(minOffS >= 0)) {
      throw new IllegalArgumentException(
          "ramp, min on and min off must be >= 0, got "
              + rampWPerS
              + ", "
              + minOnS
              + ", "
              + minOffS);
    }
    if (!(sinceOnOffS >= 0)) {
      sinceOnOffS = Double.POSITIVE_INFINITY;
    }
    if (!(sinceSetpointS >= 0)) {
      sinceSetpointS = Double.POSITIVE_INFINITY;
    }
  }

  /** The same rules, with the rig's clock at a new point. */
  public Pacing at(double newSinceOnOffS, double newSinceSetpointS) {
    return new Pacing(rampWPerS, minOnS, minOffS, newSinceOnOffS, newSinceSetpointS);
  }
}
