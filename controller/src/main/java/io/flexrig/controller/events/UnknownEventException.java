package io.flexrig.controller.events;

/** No event with this id. */
public final class UnknownEventException extends Exception {

  public UnknownEventException(String eventId) {
    super("no curtailment event with id '" + eventId + "'");
  }
}
