package io.flexrig.agent.control;

import java.time.Instant;

/** The verified result of an accepted command. */
public record CommandResult(
    String commandId,
    CommandOutcome outcome,
    double measuredPowerW,
    double appliedPowerW,
    Instant observedAt,
    String detail) {}
