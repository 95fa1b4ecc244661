package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;

/** Keep the site's import at or below {@code kw} during one interval (IMPORT_CAPACITY_LIMIT). */
public record ImportCapacityLimit(
    EventRef event, int intervalId, Instant start, Duration duration, double kw)
    implements GridSignal {}
