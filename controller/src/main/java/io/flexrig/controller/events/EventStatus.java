package io.flexrig.controller.events;

import java.time.Instant;

/**
 * How an event is going, measured now.
 *
 * @param baselineKw the site load at the event start (or now, before it starts)
 * @param targetKw the load the site must stay at or below (projected from now before the start)
 * @param measuredKw the site load now: fresh measurements plus the last known power of rigs that
 *     went quiet (see {@link io.flexrig.controller.fleet.SiteLoad#estimatedW()})
 * @param rigsCurtailed rigs holding a command of this event
 * @param targetMet true while measured is at or below target and the event is active
 */
public record EventStatus(
    CurtailmentEvent event,
    double baselineKw,
    double targetKw,
    double measuredKw,
    int rigsCurtailed,
    boolean targetMet,
    Instant observedAt) {}
