package io.flexrig.controller.store;

import java.time.Instant;

/** The verified outcome of a command, as stored. */
public record CommandResultRow(
    String commandId,
    String outcome,
    double measuredPowerW,
    double appliedPowerW,
    Instant observedAt,
    String detail) {}
