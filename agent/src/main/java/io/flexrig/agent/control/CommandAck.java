package io.flexrig.agent.control;

import java.time.Instant;

/**
 * The executor's immediate answer to a command.
 *
 * @param appliedPowerW the power target that will be applied after clamping; 0 for sleep, wake and
 *     release
 */
public record CommandAck(
    String commandId,
    boolean accepted,
    String reason,
    boolean clamped,
    double appliedPowerW,
    Instant receivedAt) {

  static CommandAck rejected(String commandId, String reason, Instant receivedAt) {
    return new CommandAck(commandId == null ? "" : commandId, false, reason, false, 0, receivedAt);
  }
}
