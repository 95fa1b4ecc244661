package io.flexrig.controller.store;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * One rig's telemetry over one minute.
 *
 * @param minuteStart start of the minute (by the samples' {@code sampled_at})
 * @param sampleCount samples in the minute
 * @param powerMinW lowest usable power (quality GOOD or UNCERTAIN); empty when none was usable
 * @param powerAvgW average usable power
 * @param powerMaxW highest usable power
 * @param chipTempAvgC average of the samples' hottest chip temperature
 * @param hashrateAvgThs average hashrate
 */
public record TelemetryRollup(
    String rigId,
    Instant minuteStart,
    long sampleCount,
    OptionalDouble powerMinW,
    OptionalDouble powerAvgW,
    OptionalDouble powerMaxW,
    double chipTempAvgC,
    double hashrateAvgThs) {}
