package io.flexrig.controller.events;

import java.time.Instant;
import java.util.Optional;

/**
 * How an event is going, measured now.
 *
 * @param baselineKw the site load at the event start (or now, before it starts)
 * @param targetKw the load the site must stay at or below (projected from now before the start)
 * @param measuredKw the site load now: fresh measurements plus the last known power of rigs that
 *     went quiet (see {@link io.flexrig.controller.fleet.SiteLoad#estimatedW()})
 * @param rigsCurtailed rigs holding a command of this event
 * @param targetMet true while measured is at or below target and the event is active
 * @param awaitingFleet present while the event is due but waits, after a controller restart, for
 *     the site's rigs to reconnect before it measures its baseline and dispatches
 */
public record EventStatus(
    CurtailmentEvent event,
    double baselineKw,
    double targetKw,
    double measuredKw,
    int rigsCurtailed,
    boolean targetMet,
    Instant observedAt,
    Optional<FleetReturn> awaitingFleet) {

  /** A status of an event that is not waiting for the fleet. */
  public EventStatus(
      CurtailmentEvent event,
      double baselineKw,
      double targetKw,
      double measuredKw,
      int rigsCurtailed,
      boolean targetMet,
      Instant observedAt) {
    this(
        event,
        baselineKw,
        targetKw,
        measuredKw,
        rigsCurtailed,
        targetMet,
        observedAt,
        Optional.empty());
  }

  /**
   * A due event waiting for its site's rigs after a controller restart.
   *
   * @param rigsBack rigs of the site connected again and reporting power
   * @param rigsAwaited rigs the site had before the restart
   * @param until the event starts at the latest then, whoever is back
   */
  public record FleetReturn(int rigsBack, int rigsAwaited, Instant until) {}
}
