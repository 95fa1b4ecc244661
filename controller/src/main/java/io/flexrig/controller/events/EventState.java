package io.flexrig.controller.events;

/** Life of a curtailment event; mirrors {@code flexrig.v1.EventState}. */
public enum EventState {
  SCHEDULED,
  ACTIVE,
  COMPLETED,
  CANCELLED;

  public boolean finished() {
    return this == COMPLETED || this == CANCELLED;
  }
}
