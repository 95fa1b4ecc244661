package io.flexrig.core.economics;

import java.util.Optional;

/**
 * What a rig should do at one power price, with the hourly margin of every option so the caller can
 * see how close the call was.
 *
 * @param profileId the rig model
 * @param priceUsdPerKwh the power price the advice is for
 * @param action the option with the highest margin (on a tie, the one drawing more power)
 * @param run running at the stock setting
 * @param reduce the best reduced power target, if the rig has a knob to hold one
 * @param sleep asleep, still drawing its sleep power
 */
public record CurtailmentAdvice(
    String profileId,
    double priceUsdPerKwh,
    Action action,
    OperatingPoint run,
    Optional<OperatingPoint> reduce,
    OperatingPoint sleep) {

  /** The three things a rig can be told at a price. */
  public enum Action {
    /** Run at nameplate. */
    RUN,
    /** Hold a lower power target along the curve. */
    REDUCE,
    /** Sleep: the work no longer pays for its power. */
    SLEEP
  }

  /** The operating point of the advised action. */
  public OperatingPoint chosen() {
    return switch (action) {
      case RUN -> run;
      case REDUCE -> reduce.orElseThrow();
      case SLEEP -> sleep;
    };
  }

  /** Power the rig should draw. */
  public double powerW() {
    return chosen().powerW();
  }

  /** Hourly margin of the advised action. */
  public double marginUsdPerHour() {
    return chosen().marginUsdPerHour();
  }

  public double runMarginUsdPerHour() {
    return run.marginUsdPerHour();
  }

  /** Hourly margin at the best reduced target; empty if the rig cannot reduce. */
  public Optional<Double> reduceMarginUsdPerHour() {
    return reduce.map(OperatingPoint::marginUsdPerHour);
  }

  public double sleepMarginUsdPerHour() {
    return sleep.marginUsdPerHour();
  }

  /** Whether the rig keeps its workload running (RUN or REDUCE). */
  public boolean running() {
    return action != Action.SLEEP;
  }
}
