package io.flexrig.controller.hybrid;

import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.events.StandingCommands;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.Hashprice;
import io.flexrig.core.economics.PowerPrice;
import io.flexrig.core.economics.PriceNotPublishedException;
import io.flexrig.core.economics.RigEconomics;
import io.flexrig.core.economics.Workload;
import io.flexrig.core.economics.WorkloadChoice;
import io.flexrig.core.economics.WorkloadDecision;
import io.flexrig.core.economics.WorkloadMargins;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.RigKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mining/AI choice of hybrid sites, made by the running controller: at every tick, values each
 * configured site's two sides at the power price in force (miners at the hashprice, GPU machines at
 * their AI revenue, the side not chosen asleep), lets {@link WorkloadChoice} decide with its
 * hysteresis, and sleeps the side not chosen with standing commands (event id {@code
 * hybrid:<site>}), releasing the side chosen.
 *
 * <p>Rigs held by any other event (a grid event, price-driven curtailment) are left to it. While a
 * grid event runs at the site no new choice is made, but the sleeps already in force are kept
 * fresh: letting them lapse would add load in the middle of the event.
 */
public final class HybridSwitching implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HybridSwitching.class);

  private final FleetState fleet;
  private final StandingCommands standing;
  private final Function<String, Optional<HardwareProfile>> profiles;
  private final Hashprice hashprice;
  private final Function<String, Optional<AiRevenue>> aiRates;
  private final PowerPrice price;
  private final Map<String, HybridSite> sites;
  private final Predicate<String> siteUnderGridEvent;
  private final Clock clock;
  private final Map<String, WorkloadChoice> choices = new ConcurrentHashMap<>();
  private final Map<String, WorkloadDecision> decisions = new ConcurrentHashMap<>();
  private final Map<String, Optional<RigEconomics>> economics = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("hybrid-switching").daemon(true).factory());

  public HybridSwitching(
      FleetState fleet,
      StandingCommands standing,
      Function<String, Optional<HardwareProfile>> profiles,
      Hashprice hashprice,
      Function<String, Optional<AiRevenue>> aiRates,
      PowerPrice price,
      List<HybridSite> sites,
      Predicate<String> siteUnderGridEvent,
      Clock clock) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    this.standing = Objects.requireNonNull(standing, "standing");
    this.profiles = Objects.requireNonNull(profiles, "profiles");
    this.hashprice = Objects.requireNonNull(hashprice, "hashprice");
    this.aiRates = Objects.requireNonNull(aiRates, "aiRates");
    this.price = Objects.requireNonNull(price, "price");
    this.siteUnderGridEvent = Objects.requireNonNull(siteUnderGridEvent, "siteUnderGridEvent");
    this.clock = Objects.requireNonNull(clock, "clock");
    Map<String, HybridSite> bySite = new ConcurrentHashMap<>();
    for (HybridSite s : sites) {
      if (bySite.putIfAbsent(s.siteId(), s) != null) {
        throw new IllegalArgumentException("hybrid site " + s.siteId() + " configured twice");
      }
    }
    this.sites = Map.copyOf(bySite);
  }

  /** The event id the standing commands of a hybrid site carry. */
  public static String eventIdOf(String siteId) {
    return "hybrid:" + siteId;
  }

  /** Ticks every {@code period} on its own thread until closed. */
  public HybridSwitching start(Duration period) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            tick();
          } catch (RuntimeException e) {
            log.error("Hybrid switching tick failed; next tick in {}", period, e);
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** The last decision for a site, for the operator's view. */
  public Optional<WorkloadDecision> lastDecision(String siteId) {
    return Optional.ofNullable(decisions.get(siteId));
  }

  /**
   * One evaluation of every hybrid site now.
   *
   * @return the number of commands sent
   */
  public int tick() {
    Instant now = clock.instant();
    int sent = 0;
    for (HybridSite site : sites.values()) {
      sent += tick(site, now);
    }
    return sent;
  }

  private int tick(HybridSite site, Instant now) {
    String eventId = eventIdOf(site.siteId());
    List<Valued> rigs = valuedRigs(site.siteId());
    if (siteUnderGridEvent.test(site.siteId())) {
      int sent = 0;
      for (Valued v : rigs) {
        Optional<HeldCommand> held = v.rig.command();
        if (held.isPresent() && held.get().eventId().equals(eventId)) {
          sent += standing.refreshIfDue(v.rig, held, now) ? 1 : 0;
        }
      }
      return sent;
    }
    double usdPerKwh;
    try {
      usdPerKwh = price.usdPerKwhAt(now);
    } catch (PriceNotPublishedException e) {
      log.warn("No power price at {}: hybrid site {} keeps its side", now, site.siteId());
      return 0;
    }
    Optional<WorkloadMargins> margins = margins(rigs, usdPerKwh);
    if (margins.isEmpty()) {
      return 0; // not both sides connected: nothing to choose between
    }
    WorkloadChoice choice =
        choices.computeIfAbsent(
            site.siteId(), id -> new WorkloadChoice(site.policy(), margins.get().best(), now));
    WorkloadDecision decision = choice.decide(now, margins.get());
    WorkloadDecision previous = decisions.put(site.siteId(), decision);
    if (decision.switched() || previous == null) {
      log.info(
          "Hybrid site {} at {} USD/kWh: {} ({}); margins {}",
          site.siteId(),
          usdPerKwh,
          decision.workload(),
          decision.reason(),
          decision.margins().usdPerHour());
    }
    int sent = 0;
    for (Valued v : rigs) {
      sent += apply(v, decision.workload(), eventId, now) ? 1 : 0;
    }
    return sent;
  }

  private boolean apply(Valued v, Workload chosen, String eventId, Instant now) {
    Optional<HeldCommand> held = v.rig.command();
    if (held.isPresent() && !held.get().eventId().equals(eventId)) {
      return false; // a grid event's or the price loop's setpoint: not ours to change
    }
    boolean sleeps =
        switch (chosen) {
          case MINING -> !v.miner;
          case AI -> v.miner;
          case CURTAILED -> true;
        };
    if (sleeps) {
      return held.isEmpty()
          ? standing.hold(v.rig, eventId, new Setpoint.Sleep(), now)
          : standing.refreshIfDue(v.rig, held, now);
    }
    return held.isPresent() && standing.release(v.rig, eventId, now);
  }

  /** A connected rig of the site with its economics; miners mine, GPU machines serve AI. */
  private record Valued(RigView rig, RigEconomics economics, boolean miner) {}

  private List<Valued> valuedRigs(String siteId) {
    List<Valued> out = new ArrayList<>();
    for (RigView rig : fleet.rigsOfSite(siteId)) {
      if (!rig.connected()) {
        continue;
      }
      economicsOf(rig.registration().hardwareProfileId())
          .ifPresent(e -> out.add(new Valued(rig, e, e.profile().kind() == RigKind.ASIC_MINER)));
    }
    return out;
  }

  private Optional<RigEconomics> economicsOf(String profileId) {
    return economics.computeIfAbsent(
        profileId,
        id ->
            profiles.apply(id).flatMap(p -> RigEconomics.valued(p, hashprice, aiRates.apply(id))));
  }

  /**
   * Each side's hourly margin with the other side asleep; empty unless the site has rigs of both
   * sides.
   */
  static Optional<WorkloadMargins> margins(List<Valued> rigs, double usdPerKwh) {
    double minersBest = 0;
    double minersAsleep = 0;
    double gpusBest = 0;
    double gpusAsleep = 0;
    boolean anyMiner = false;
    boolean anyGpu = false;
    for (Valued v : rigs) {
      double best = v.economics.bestRunning(usdPerKwh).marginUsdPerHour();
      double asleep = v.economics.asleep(usdPerKwh).marginUsdPerHour();
      if (v.miner) {
        anyMiner = true;
        minersBest += best;
        minersAsleep += asleep;
      } else {
        anyGpu = true;
        gpusBest += best;
        gpusAsleep += asleep;
      }
    }
    if (!anyMiner || !anyGpu) {
      return Optional.empty();
    }
    Map<Workload, Double> out = new EnumMap<>(Workload.class);
    out.put(Workload.MINING, minersBest + gpusAsleep);
    out.put(Workload.AI, gpusBest + minersAsleep);
    out.put(Workload.CURTAILED, minersAsleep + gpusAsleep);
    return Optional.of(new WorkloadMargins(out));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
