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
 * @param outcome the outcome the agent reported (e.g. COMMAND_OUTCOME_ACHIEVED); empty until then
 */
public record HeldCommand(
    String commandId,
    String eventId,
    Setpoint setpoint,
    Instant issuedAt,
    boolean accepted,
    String outcome) {

  /** A command just sent: not yet acknowledged, no outcome. */
  public HeldCommand(String commandId, String eventId, Setpoint setpoint, Instant issuedAt) {
    this(commandId, eventId, setpoint, issuedAt, false, "");
  }

  HeldCommand acknowledged(boolean ok) {
    return new HeldCommand(commandId, eventId, setpoint, issuedAt, ok, outcome);
  }

  HeldCommand finished(String result) {
    return new HeldCommand(commandId, eventId, setpoint, issuedAt, accepted, result);
  }
}
