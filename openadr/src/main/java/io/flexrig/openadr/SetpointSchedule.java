package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Consume {@code value} kW in each step (DISPATCH_SETPOINT: absolute consumption). */
public record SetpointSchedule(EventRef event, List<SignalStep> steps) implements GridSignal {
  public SetpointSchedule {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a setpoint schedule needs at least one step");
    }
  }

  @Override
  public Instant start() {
    return steps.getFirst().start();
  }

  @Override
  public Duration duration() {
    return Duration.between(start(), steps.getLast().end());
  }
}
