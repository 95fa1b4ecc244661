package io.flexrig.controller.events;

/** A request the controller refuses; the message names the reason for the caller. */
public class InvalidEventException extends Exception {

  public InvalidEventException(String reason) {
    super(reason);
  }
}
