package io.flexrig.controller.events;

import io.flexrig.controller.dispatch.DispatchPlan;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Durable storage of events and the commands issued for them (implemented by the store). */
public interface EventJournal {

  /** Inserts or updates the event; completes once committed. */
  CompletableFuture<Void> save(CurtailmentEvent event);

  /** Records an issued command; completes once committed. */
  CompletableFuture<Void> commandIssued(RigCommand command);

  /**
   * Records a dispatch plan made for an event (for the compliance record); fire and forget. The
   * default keeps nothing.
   */
  default void planMade(
      String eventId, Instant plannedAt, double targetW, double siteW, DispatchPlan plan) {}

  Optional<CurtailmentEvent> find(String eventId);

  Optional<CurtailmentEvent> findByRequestId(String requestId);

  /** The site's events, newest start first. */
  List<CurtailmentEvent> list(String siteId, int limit);

  /** Events still SCHEDULED or ACTIVE, to resume after a restart. */
  List<CurtailmentEvent> unfinished();
}
