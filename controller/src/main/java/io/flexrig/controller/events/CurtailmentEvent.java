package io.flexrig.controller.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A curtailment event as the controller keeps and persists it.
 *
 * @param baselineKw site load at the event start; empty until it starts
 * @param targetKw the load the site must stay at or below; empty until it starts
 * @param targetMetAt first instant the measured load reached the target
 * @param deadlineMet true when the target was met at or before the deadline
 * @param endedAt when the event completed or was cancelled
 */
public record CurtailmentEvent(
    String eventId,
    String siteId,
    String requestId,
    EventTarget target,
    Instant startAt,
    Duration responseTime,
    Instant endAt,
    String program,
    EventState state,
    Instant createdAt,
    Optional<Double> baselineKw,
    Optional<Double> targetKw,
    Optional<Instant> targetMetAt,
    boolean deadlineMet,
    Optional<Instant> endedAt) {

  public CurtailmentEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(siteId, "siteId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(startAt, "startAt");
    Objects.requireNonNull(responseTime, "responseTime");
    Objects.requireNonNull(endAt, "endAt");
    program = program == null ? "" : program;
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(baselineKw, "baselineKw");
    Objects.requireNonNull(targetKw, "targetKw");
    Objects.requireNonNull(targetMetAt, "targetMetAt");
    Objects.requireNonNull(endedAt, "endedAt");
  }

  /** The instant the target must be met by: start plus response time. */
  public Instant deadline() {
    return startAt.plus(responseTime);
  }

  CurtailmentEvent started(double baseline, double target) {
    return new CurtailmentEvent(
        eventId,
        siteId,
        requestId,
        this.target,
        startAt,
        responseTime,
        endAt,
        program,
        EventState.ACTIVE,
        createdAt,
        Optional.of(baseline),
        Optional.of(target),
        targetMetAt,
        deadlineMet,
        endedAt);
  }

  CurtailmentEvent targetMet(Instant at) {
    return new CurtailmentEvent(
        eventId,
        siteId,
        requestId,
        target,
        startAt,
        responseTime,
        endAt,
        program,
        state,
        createdAt,
        baselineKw,
        targetKw,
        Optional.of(at),
        !at.isAfter(deadline()),
        endedAt);
  }

  CurtailmentEvent ended(EventState finalState, Instant at) {
    return new CurtailmentEvent(
        eventId,
        siteId,
        requestId,
        target,
        startAt,
        responseTime,
        endAt,
        program,
        finalState,
        createdAt,
        baselineKw,
        targetKw,
        targetMetAt,
        deadlineMet,
        Optional.of(at));
  }

  /** The same event with a new target and end; the target in force is recomputed by the caller. */
  CurtailmentEvent modified(EventTarget newTarget, Instant newEnd, Optional<Double> newTargetKw) {
    return new CurtailmentEvent(
        eventId,
        siteId,
        requestId,
        newTarget,
        startAt,
        responseTime,
        newEnd,
        program,
        state,
        createdAt,
        baselineKw,
        newTargetKw,
        targetMetAt,
        deadlineMet,
        endedAt);
  }
}
