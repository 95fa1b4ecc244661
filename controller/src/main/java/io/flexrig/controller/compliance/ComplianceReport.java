package io.flexrig.controller.compliance;

import io.flexrig.controller.events.CurtailmentEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What an event achieved, measured per 15-minute interval.
 *
 * @param isFinal true once the event has ended (the report is stored and no longer changes)
 * @param preEventKw the site's average load over the hour before the start
 * @param likeDaysUsed like days with data that entered the middle-8-of-10 baseline
 * @param intervals the quarter hours overlapping the event, in time order
 * @param rigs every rig's contribution, largest shed first
 */
public record ComplianceReport(
    CurtailmentEvent event,
    boolean isFinal,
    double preEventKw,
    int likeDaysUsed,
    List<Interval> intervals,
    List<RigShare> rigs,
    Instant generatedAt) {

  /** Measured may exceed the target by this fraction and still count as at target (meter noise). */
  public static final double TOLERANCE = 0.02;

  public ComplianceReport {
    Objects.requireNonNull(event, "event");
    intervals = List.copyOf(intervals);
    rigs = List.copyOf(rigs);
    Objects.requireNonNull(generatedAt, "generatedAt");
  }

  /** Which baseline the deltas use. */
  public enum BaselineMethod {
    PRE_EVENT_AVERAGE,
    MIDDLE_8_OF_10_DAYS
  }

  /**
   * One quarter hour.
   *
   * @param coveredS seconds of the quarter hour inside the event
   * @param likeDaysKw the like-days baseline, NaN without data
   * @param measuredKw the site's average load over the covered part, NaN without data
   * @param targetKw the target in force at the start of the covered part
   */
  public record Interval(
      Instant start,
      Instant end,
      double coveredS,
      double preEventKw,
      double likeDaysKw,
      double measuredKw,
      double targetKw) {

    /** The baseline the report's deltas use for this interval. */
    public double baselineKw(BaselineMethod method) {
      return method == BaselineMethod.MIDDLE_8_OF_10_DAYS && !Double.isNaN(likeDaysKw)
          ? likeDaysKw
          : preEventKw;
    }

    /** Baseline minus measured: positive when load was shed. */
    public double deltaKw(BaselineMethod method) {
      return baselineKw(method) - measuredKw;
    }

    /** Measured at or below the target, with {@link #TOLERANCE}. */
    public boolean atTarget() {
      return !Double.isNaN(measuredKw) && measuredKw <= targetKw * (1 + TOLERANCE) + 1e-9;
    }
  }

  /** One rig's average power before and during the event. */
  public record RigShare(String rigId, double beforeKw, double duringKw) {
    public double shedKw() {
      return beforeKw - duringKw;
    }
  }

  /** Like days when at least one had data, else the pre-event average. */
  public BaselineMethod deltaBaseline() {
    return likeDaysUsed > 0 ? BaselineMethod.MIDDLE_8_OF_10_DAYS : BaselineMethod.PRE_EVENT_AVERAGE;
  }

  /** The like-days baseline averaged over the event (weighted by coverage); NaN without data. */
  public double likeDaysKw() {
    return weighted(Interval::likeDaysKw);
  }

  public double measuredKw() {
    return weighted(Interval::measuredKw);
  }

  public double targetKw() {
    return weighted(Interval::targetKw);
  }

  public double deltaKw() {
    BaselineMethod m = deltaBaseline();
    return weighted(i -> i.deltaKw(m));
  }

  /** True when the target was first met by the deadline. */
  public boolean deadlineMet() {
    return event.deadlineMet();
  }

  /**
   * True when the target was reached and every interval from the deadline on stayed at target.
   * Intervals without measurements count as missed: no proof, no compliance.
   */
  public boolean targetMet() {
    if (event.targetMetAt().isEmpty()) {
      return false;
    }
    for (Interval i : intervals) {
      if (!i.start().isBefore(event.deadline()) && !i.atTarget()) {
        return false;
      }
    }
    return true;
  }

  /** The site's total shed: the sum of the rigs' positive and negative sheds. */
  public double rigsShedKw() {
    return rigs.stream().mapToDouble(RigShare::shedKw).sum();
  }

  /** A rig's shed as a fraction of the total (0 when nothing was shed). */
  public double share(RigShare rig) {
    double total = rigsShedKw();
    return total > 0 ? rig.shedKw() / total : 0;
  }

  private double weighted(ToDoubleFunction<Interval> f) {
    double sum = 0;
    double weight = 0;
    for (Interval i : intervals) {
      double v = f.applyAsDouble(i);
      if (!Double.isNaN(v)) {
        sum += v * i.coveredS();
        weight += i.coveredS();
      }
    }
    return weight == 0 ? Double.NaN : sum / weight;
  }
}
