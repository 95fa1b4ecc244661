package io.flexrig.controller.events;

/** How much load an event sheds: relative to the baseline or as an absolute cap. */
public sealed interface EventTarget {

  /** The site's target in kW given its load at the event start. */
  double targetKw(double baselineKw);

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
}
