package io.flexrig.controller.fleet;

import io.flexrig.controller.dispatch.Setpoint;
import java.time.Instant;

/**
 * A curtailment setpoint the controller has sent to a rig and not yet released.
 *
 * @param commandId the command
 * @param eventId the event it serves
 * @param setpoint what the rig was asked to do
 * @param issuedAt when the controller sent it
 * @param accepted true once the agent acknowledged it as accepted
 */
public record HeldCommand(
    String commandId, String eventId, Setpoint setpoint, Instant issuedAt, boolean accepted) {

  HeldCommand acknowledged(boolean ok) {
    return new HeldCommand(commandId, eventId, setpoint, issuedAt, ok);
  }
}
