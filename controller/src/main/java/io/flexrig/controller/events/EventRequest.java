package io.flexrig.controller.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A grid operator's request, before validation.
 *
 * @param target empty when the request named neither reduce-by nor cap
 * @param startAt empty means now
 * @param endAt empty when the request has none (rejected)
 */
public record EventRequest(
    String siteId,
    String requestId,
    Optional<EventTarget> target,
    Optional<Instant> startAt,
    Duration responseTime,
    Optional<Instant> endAt,
    String program) {}
