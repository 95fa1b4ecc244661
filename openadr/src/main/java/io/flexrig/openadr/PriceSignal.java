package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The energy price in each step, in {@code currency} per kWh (PRICE; a per-MWh price from the VTN
 * is converted). The currency is the payload descriptor's, USD when the VTN names none.
 */
public record PriceSignal(EventRef event, String currency, List<SignalStep> steps)
    implements GridSignal {
  public PriceSignal {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a price signal needs at least one step");
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
