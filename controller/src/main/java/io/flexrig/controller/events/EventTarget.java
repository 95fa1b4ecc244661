package io.flexrig.controller.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** How much load an event sheds: relative to the baseline, as an absolute cap, or a schedule. */
public sealed interface EventTarget {

  /** The site's target in kW given its load at the event start. */
  double targetKw(double baselineKw);

  /** The site's target in kW at {@code at}; the same at every instant except for a schedule. */
  default double targetKw(double baselineKw, Instant at) {
    return targetKw(baselineKw);
  }

  /** Reduce the site's load by this much below its load at the event start. */
  record ReduceBy(double kw) implements EventTarget {
    @Override
    public double targetKw(double baselineKw) {
      return Math.max(0, baselineKw - kw);
    }
  }

  /** Keep the site's load at or below this. */
  record Cap(double kw) implements EventTarget {
    @Override
    public double targetKw(double baselineKw) {
      return kw;
    }
  }

  /**
   * Follow setpoints step by step: each step holds from its start until the next one's start.
   *
   * @param reduce true when each step's kW is a reduction below the baseline, false for a cap
   * @param steps in strictly increasing start order, at least one
   */
  record Schedule(boolean reduce, List<Step> steps) implements EventTarget {

    /** One setpoint and when it takes over. */
    public record Step(Instant startAt, double kw) {
      public Step {
        Objects.requireNonNull(startAt, "startAt");
      }
    }

    public Schedule {
      steps = List.copyOf(steps);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("a schedule needs at least one step");
      }
    }

    /** The first step's target (the one in force at the start). */
    @Override
    public double targetKw(double baselineKw) {
      return stepTarget(steps.getFirst(), baselineKw);
    }

    @Override
    public double targetKw(double baselineKw, Instant at) {
      return stepTarget(stepAt(at), baselineKw);
    }

    /** The step in force at {@code at}: the last one started at or before it, else the first. */
    public Step stepAt(Instant at) {
      Step current = steps.getFirst();
      for (Step s : steps) {
        if (!s.startAt().isAfter(at)) {
          current = s;
        }
      }
      return current;
    }

    private double stepTarget(Step step, double baselineKw) {
      return reduce ? Math.max(0, baselineKw - step.kw()) : step.kw();
    }
  }
}
