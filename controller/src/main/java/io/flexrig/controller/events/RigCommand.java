package io.flexrig.controller.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A command for one rig's agent, free of wire types.
 *
 * @param powerW the power target in watts for {@link Action#SET_POWER_TARGET}, else 0
 */
public record RigCommand(
    String commandId,
    String eventId,
    String rigId,
    Instant issuedAt,
    Instant deadline,
    Instant expiresAt,
    Action action,
    double powerW) {

  /** What the rig must do; mirrors the {@code action} oneof of {@code flexrig.v1.Command}. */
  public enum Action {
    SET_POWER_TARGET,
    SLEEP,
    WAKE,
    RELEASE
  }

  public RigCommand {
    Objects.requireNonNull(commandId, "commandId");
    eventId = eventId == null ? "" : eventId;
    Objects.requireNonNull(rigId, "rigId");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(action, "action");
  }
}
