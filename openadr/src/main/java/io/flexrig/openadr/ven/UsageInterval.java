package io.flexrig.openadr.ven;

import java.time.Duration;
import java.time.Instant;

/**
 * Measured and baseline site load over one event interval, in kW (average power). {@code
 * intervalId} is the event interval's id so the VTN can pair usage with the request.
 */
public record UsageInterval(
    int intervalId, Instant start, Duration duration, double usageKw, double baselineKw) {
  /** DELTA_USAGE: usage minus baseline, so a curtailment is negative. */
  public double deltaKw() {
    return usageKw - baselineKw;
  }
}
