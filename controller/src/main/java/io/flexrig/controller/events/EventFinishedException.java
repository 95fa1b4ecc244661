package io.flexrig.controller.events;

/** The event has completed or was cancelled: it can no longer change. */
public final class EventFinishedException extends InvalidEventException {
  public EventFinishedException(String message) {
    super(message);
  }
}
