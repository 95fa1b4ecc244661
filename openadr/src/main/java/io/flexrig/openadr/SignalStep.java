package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of a schedule: the event interval it came from, its window and its value. Several steps
 * share an {@code intervalId} when a multi-valued payload packs sub-intervals.
 */
public record SignalStep(int intervalId, Instant start, Duration duration, double value) {
  public Instant end() {
    return start.plus(duration);
  }
}
