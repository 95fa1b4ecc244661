package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;

/**
 * Stop acting on an event: the VTN deleted it, or cancelled it the way the User Guide describes (an
 * event interval period of zero duration). {@code start} is when the VEN learnt it.
 */
public record EventCancelled(EventRef event, Reason reason, Instant start) implements GridSignal {
  public enum Reason {
    DELETED,
    CANCELLED
  }

  @Override
  public Duration duration() {
    return Duration.ZERO;
  }
}
