package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;

/**
 * Shed {@code kw} during one interval, from a SIMPLE payload. {@code level} is the SIMPLE level (0
 * normal, 1 moderate, 2 high, 3 emergency) and {@code kw} its meaning under {@link SimpleLevels}.
 */
public record ReduceLoad(
    EventRef event, int intervalId, Instant start, Duration duration, int level, double kw)
    implements GridSignal {}
