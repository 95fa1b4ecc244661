package io.flexrig.controller.metrics;

import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.CurtailmentEventRunner;
import io.flexrig.controller.events.EventStatus;
import io.flexrig.controller.events.UnknownEventException;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.controller.fleet.SiteLoad;
import io.flexrig.controller.price.PriceStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The fleet as Prometheus sees it: per site the rigs and their power as the dispatcher sees them,
 * how far telemetry lags, the active curtailment event against its target, and the depth of the
 * controller's queues. Read at scrape time in one pass over each site's rigs; with 100k rigs that
 * is the cost of one dispatch, once per scrape.
 */
public final class FleetMetrics implements MultiCollector {
  public static final String RIGS_KNOWN = "flexrig_fleet_rigs_known";
  public static final String RIGS_CONNECTED = "flexrig_fleet_rigs_connected";
  public static final String RIGS_MEASURED = "flexrig_fleet_rigs_measured";
  public static final String RIGS_STALE = "flexrig_fleet_rigs_stale";
  public static final String RIGS_CURTAILED = "flexrig_fleet_rigs_curtailed";
  public static final String SITE_POWER = "flexrig_fleet_site_power_watts";
  public static final String SITE_ESTIMATED_POWER = "flexrig_fleet_site_estimated_power_watts";
  public static final String SITE_NAMEPLATE = "flexrig_fleet_site_nameplate_watts";
  public static final String SAMPLE_AGE = "flexrig_fleet_oldest_sample_age_seconds";
  public static final String SESSIONS = "flexrig_controller_agent_sessions";
  public static final String SAMPLES = "flexrig_controller_telemetry_samples";
  public static final String UNSTORED = "flexrig_controller_unstored_samples";
  public static final String STORE_QUEUE = "flexrig_controller_store_queue_depth";
  public static final String RPC_QUEUE = "flexrig_controller_rpc_queue_depth";
  public static final String EVENT_ACTIVE = "flexrig_event_active";
  public static final String EVENT_TARGET = "flexrig_event_target_watts";
  public static final String EVENT_BASELINE = "flexrig_event_baseline_watts";
  public static final String EVENT_MEASURED = "flexrig_event_measured_watts";
  public static final String EVENT_RIGS_CURTAILED = "flexrig_event_rigs_curtailed";
  public static final String EVENT_TARGET_MET = "flexrig_event_target_met";
  public static final String EVENT_DEADLINE = "flexrig_event_deadline_timestamp_seconds";
  public static final String EVENT_END = "flexrig_event_end_timestamp_seconds";
  public static final String EVENT_DEADLINE_MET = "flexrig_event_deadline_met";
  public static final String PRICE = "flexrig_price_usd_per_kwh";
  public static final String PRICE_KNOWN = "flexrig_price_known";
  public static final String PRICE_STRIKE = "flexrig_price_strike_usd_per_kwh";
  public static final String PRICE_CURTAILED = "flexrig_price_rig_curtailed";
  public static final String PRICE_RIGS_CURTAILED = "flexrig_price_rigs_curtailed";

  private final FleetState fleet;
  private final CurtailmentEventRunner events;
  private final IntSupplier sessions;
  private final IntSupplier storeQueue;
  private final IntSupplier rpcQueue;
  private final Clock clock;
  private volatile Supplier<Optional<PriceStatus>> price = Optional::empty;

  /**
   * @param sessions live agent sessions
   * @param storeQueue writes waiting for the store's writer thread
   * @param rpcQueue gRPC calls waiting for an application thread
   */
  public FleetMetrics(
      FleetState fleet,
      CurtailmentEventRunner events,
      IntSupplier sessions,
      IntSupplier storeQueue,
      IntSupplier rpcQueue,
      Clock clock) {
    this.fleet = fleet;
    this.events = events;
    this.sessions = sessions;
    this.storeQueue = storeQueue;
    this.rpcQueue = rpcQueue;
    this.clock = clock;
  }

  /** Also exports price-driven dispatch: the price in force, strike prices, curtailed rigs. */
  public FleetMetrics price(Supplier<Optional<PriceStatus>> status) {
    this.price = status;
    return this;
  }

  @Override
  public MetricSnapshots collect() {
    Instant now = clock.instant();
    Families f = new Families();
    for (String site : fleet.sites().stream().sorted().toList()) {
      Labels l = Labels.of("site", site);
      SiteLoad load = fleet.siteLoad(site);
      f.gauge(RIGS_KNOWN, "Rigs known to the controller", load.rigsKnown(), l);
      f.gauge(RIGS_CONNECTED, "Rigs with a live session", load.rigsConnected(), l);
      f.gauge(RIGS_MEASURED, "Rigs whose fresh power counts", load.rigsMeasured(), l);
      f.gauge(RIGS_STALE, "Rigs whose power is stale, missing or bad", load.rigsStale(), l);
      f.gauge(RIGS_CURTAILED, "Rigs curtailed, asleep or off", load.rigsCurtailed(), l);
      f.gauge(SITE_POWER, "Sum of the rigs' fresh measured power", load.measuredW(), l);
      f.gauge(
          SITE_ESTIMATED_POWER,
          "Fresh power plus the last known power of quiet rigs (what compliance is judged by)",
          load.estimatedW(),
          l);
      f.gauge(SITE_NAMEPLATE, "Sum of the rigs' nameplate power", load.nameplateW(), l);

      double oldest = 0;
      long unstored = 0;
      for (RigView rig : fleet.rigsOfSite(site)) {
        Optional<RigSample> latest = rig.latest();
        if (latest.isEmpty()) {
          continue;
        }
        if (rig.connected()) {
          oldest =
              Math.max(oldest, Duration.between(latest.get().observedAt(), now).toMillis() / 1e3);
        }
        unstored += Math.max(0, latest.get().sequence() - fleet.storedThrough(rig.rigId()));
      }
      f.gauge(
          SAMPLE_AGE,
          "Age of the oldest latest sample among connected rigs (ingest lag)",
          oldest,
          l);
      f.gauge(UNSTORED, "Samples received but not yet stored durably", unstored, l);

      Optional<String> active = events.activeEventOf(site);
      f.gauge(
          EVENT_ACTIVE,
          "1 while the site has an active curtailment event",
          active.isPresent() ? 1 : 0,
          l);
      if (active.isPresent()) {
        event(f, active.get());
      }
    }
    f.gauge(SESSIONS, "Live agent sessions", sessions.getAsInt(), Labels.EMPTY);
    f.counter(
        SAMPLES, "Telemetry samples received from agents", fleet.samplesReceived(), Labels.EMPTY);
    f.gauge(
        STORE_QUEUE, "Writes waiting for the store's writer", storeQueue.getAsInt(), Labels.EMPTY);
    f.gauge(RPC_QUEUE, "gRPC calls waiting for a thread", rpcQueue.getAsInt(), Labels.EMPTY);
    price.get().ifPresent(p -> price(f, p));
    return f.snapshots();
  }

  private void event(Families f, String eventId) {
    EventStatus status;
    try {
      status = events.status(eventId);
    } catch (UnknownEventException e) {
      return; // ended between the two calls
    }
    CurtailmentEvent event = status.event();
    Labels l = Labels.of("site", event.siteId(), "event", eventId, "program", event.program());
    f.gauge(EVENT_TARGET, "The load the site must stay at or below", status.targetKw() * 1e3, l);
    f.gauge(EVENT_BASELINE, "The site load at the event start", status.baselineKw() * 1e3, l);
    f.gauge(
        EVENT_MEASURED, "The site load now, as compliance judges it", status.measuredKw() * 1e3, l);
    f.gauge(EVENT_RIGS_CURTAILED, "Rigs holding a command of the event", status.rigsCurtailed(), l);
    f.gauge(
        EVENT_TARGET_MET,
        "1 while the measured load is at or below the target",
        status.targetMet() ? 1 : 0,
        l);
    f.gauge(
        EVENT_DEADLINE, "When the target must be met by", event.deadline().toEpochMilli() / 1e3, l);
    f.gauge(EVENT_END, "When the event ends", event.endAt().toEpochMilli() / 1e3, l);
    f.gauge(
        EVENT_DEADLINE_MET,
        "1 once the target was met at or before the deadline",
        event.deadlineMet() ? 1 : 0,
        l);
  }

  private void price(Families f, PriceStatus p) {
    f.gauge(
        PRICE_KNOWN,
        "1 while a power price is in force for price-driven dispatch",
        p.price().isPresent() ? 1 : 0,
        Labels.EMPTY);
    p.price()
        .ifPresent(
            q ->
                f.gauge(
                    PRICE,
                    "The power price in force and its source",
                    q.usdPerKwh(),
                    Labels.of("source", q.source())));
    for (PriceStatus.Strike s : p.strikes()) {
      strike(f, s.profileId(), "reduce", s.reduceAboveUsdPerKwh());
      strike(f, s.profileId(), "sleep", s.sleepAboveUsdPerKwh());
      strike(f, s.profileId(), "break_even", s.nameplateBreakEvenUsdPerKwh());
    }
    java.util.Map<String, Integer> bySite = new java.util.TreeMap<>();
    for (String site : fleet.sites()) {
      bySite.put(site, 0);
    }
    for (PriceStatus.CurtailedRig r : p.curtailed()) {
      bySite.merge(r.siteId(), 1, Integer::sum);
      f.gauge(
          PRICE_CURTAILED,
          "Power a rig holds on a price-driven setpoint (label setpoint: sleep or power_target)",
          r.powerW(),
          Labels.of(
              "site",
              r.siteId(),
              "rig",
              r.rigId(),
              "profile",
              r.profileId(),
              "setpoint",
              r.asleep() ? "sleep" : "power_target"));
    }
    bySite.forEach(
        (site, n) ->
            f.gauge(
                PRICE_RIGS_CURTAILED,
                "Rigs holding a price-driven setpoint",
                n,
                Labels.of("site", site)));
  }

  private static void strike(Families f, String profile, String level, double usdPerKwh) {
    if (Double.isFinite(usdPerKwh)) {
      f.gauge(
          PRICE_STRIKE,
          "Strike prices of the connected rig models: reduce, sleep, break_even at nameplate",
          usdPerKwh,
          Labels.of("profile", profile, "level", level));
    }
  }

  /** Data points gathered by family, in first-seen order; families without points still show. */
  private static final class Families {
    private final java.util.Map<String, GaugeSnapshot.Builder> gauges =
        new java.util.LinkedHashMap<>();
    private final java.util.Map<String, CounterSnapshot.Builder> counters =
        new java.util.LinkedHashMap<>();

    void gauge(String name, String help, double value, Labels labels) {
      gauges
          .computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
          .dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
    }

    void counter(String name, String help, double value, Labels labels) {
      counters
          .computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
          .dataPoint(CounterDataPointSnapshot.builder().value(value).labels(labels).build());
    }

    MetricSnapshots snapshots() {
      List<MetricSnapshot> out = new ArrayList<>();
      gauges.values().forEach(b -> out.add(b.build()));
      counters.values().forEach(b -> out.add(b.build()));
      return new MetricSnapshots(out);
    }
  }
}
