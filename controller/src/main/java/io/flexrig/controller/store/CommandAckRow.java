package io.flexrig.controller.store;

import java.time.Instant;

/** An agent's acknowledgement of a command, as stored. */
public record CommandAckRow(
    String rigId,
    String commandId,
    boolean accepted,
    String reason,
    boolean clamped,
    double appliedPowerW,
    Instant receivedAt) {}
