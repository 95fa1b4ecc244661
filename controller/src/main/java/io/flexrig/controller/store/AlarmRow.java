package io.flexrig.controller.store;

import java.time.Instant;

/** An alarm raised by a rig, as stored. */
public record AlarmRow(
    String alarmId,
    String rigId,
    String severity,
    String code,
    String message,
    Instant raisedAt,
    Instant receivedAt) {}
