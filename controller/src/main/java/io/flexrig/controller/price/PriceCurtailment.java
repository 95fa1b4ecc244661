package io.flexrig.controller.price;

import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.events.CommandSender;
import io.flexrig.controller.events.EventJournal;
import io.flexrig.controller.events.StandingCommands;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.core.economics.PowerPrice;
import io.flexrig.core.economics.PriceNotPublishedException;
import io.flexrig.core.economics.StrikePrice;
import io.flexrig.core.profile.HardwareProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Price-driven dispatch: at every tick, reads the power price in force (fixed, time-of-use or a
 * real-time feed) and curtails each rig whose break-even it exceeds, without any grid event; sleeps
 * rigs through likely 4CP peaks; releases them when the price falls back. Decisions come from
 * {@link PricePlanner} (deadband, hold, minimum on/off times).
 *
 * <p>Its commands carry the event id {@code price:<site>} and expire after {@link #COMMAND_TTL}
 * unless refreshed, so a controller that goes away leaves no rig curtailed for long. A site under
 * an active grid event is left alone: the event's dispatcher owns its rigs until it ends.
 */
public final class PriceCurtailment implements AutoCloseable {

  /** A price-driven command lapses this long after it was sent unless refreshed. */
  public static final Duration COMMAND_TTL = StandingCommands.TTL;

  private static final Logger log = LoggerFactory.getLogger(PriceCurtailment.class);

  private final FleetState fleet;
  private final StandingCommands standing;
  private final StrikeBook strikes;
  private final PowerPrice price;
  private final PeakAvoidance peaks;
  private final PricePlanner planner;
  private final Predicate<String> siteUnderGridEvent;
  private final Clock clock;
  private final Map<String, Instant> onOffAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> changedAt = new ConcurrentHashMap<>();
  private volatile Instant lastTickAt;
  private volatile PriceFeed.Quote lastQuote;
  private volatile String lastProblem;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("price-curtailment").daemon(true).factory());

  public PriceCurtailment(
      FleetState fleet,
      CommandSender sender,
      EventJournal journal,
      StrikeBook strikes,
      PowerPrice price,
      PeakAvoidance peaks,
      PricePlanner planner,
      Predicate<String> siteUnderGridEvent,
      Clock clock) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    this.standing = new StandingCommands(fleet, sender, journal);
    this.strikes = Objects.requireNonNull(strikes, "strikes");
    this.price = Objects.requireNonNull(price, "price");
    this.peaks = Objects.requireNonNull(peaks, "peaks");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.siteUnderGridEvent = Objects.requireNonNull(siteUnderGridEvent, "siteUnderGridEvent");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Evaluates every {@code period} from now on. */
  public PriceCurtailment start(Duration period) {
    long ms = period.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            tick();
          } catch (RuntimeException e) {
            log.error("Price-driven dispatch tick failed", e);
          }
        },
        0,
        ms,
        TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One evaluation of every site now.
   *
   * @return the number of commands sent
   */
  public int tick() {
    Instant now = clock.instant();
    lastTickAt = now;
    PriceFeed.Quote quote;
    try {
      quote =
          price instanceof PriceStack stack
              ? stack.quoteAt(now)
              : new PriceFeed.Quote(price.usdPerKwhAt(now), "tariff");
    } catch (PriceNotPublishedException e) {
      // No price, no decision: setpoints lapse by themselves if this lasts.
      if (lastQuote != null || lastProblem == null) {
        log.warn("{}: price-driven setpoints left as they are", e.getMessage());
      }
      lastQuote = null;
      lastProblem = e.getMessage();
      return 0;
    }
    PriceFeed.Quote before = lastQuote;
    if (before == null
        || before.usdPerKwh() != quote.usdPerKwh()
        || !before.source().equals(quote.source())) {
      log.info("Power price in force: {} USD/kWh from {}", quote.usdPerKwh(), quote.source());
    }
    lastQuote = quote;
    lastProblem = null;
    double usdPerKwh = quote.usdPerKwh();
    int sent = 0;
    for (String siteId : fleet.sites()) {
      if (siteUnderGridEvent.test(siteId)) {
        continue;
      }
      for (RigView rig : fleet.rigsOfSite(siteId)) {
        if (rig.connected() && rig.usablePowerW().isPresent()) {
          sent += decide(rig, siteId, usdPerKwh, now) ? 1 : 0;
        }
      }
    }
    return sent;
  }

  private boolean decide(RigView rig, String siteId, double usdPerKwh, Instant now) {
    String profileId = rig.registration().hardwareProfileId();
    Optional<StrikePrice> strike = strikes.of(profileId);
    if (strike.isEmpty()) {
      return false;
    }
    String eventId = eventIdOf(siteId);
    Optional<HeldCommand> held = rig.command();
    if (held.isPresent() && !held.get().eventId().equals(eventId)) {
      return false; // a grid event's setpoint: not ours to change
    }
    StrikePrice s = strike.get();
    Optional<Setpoint> setpoint = held.map(HeldCommand::setpoint);
    boolean asleep = setpoint.orElse(null) instanceof Setpoint.Sleep;
    double heldW =
        switch (setpoint.orElse(null)) {
          case null -> s.rig().nameplateW();
          case Setpoint.Sleep ignored -> s.rig().sleepPowerW();
          case Setpoint.PowerTarget(double w) -> w;
        };
    HardwareProfile profile = strikes.profile(profileId).orElseThrow();
    PricePlanner.Rig input =
        new PricePlanner.Rig(
            s,
            heldW,
            asleep,
            Math.max(0, profile.limits().minOnS()),
            Math.max(0, profile.limits().minOffS()),
            secondsSince(onOffAt.get(rig.rigId()), now),
            secondsSince(changedAt.get(rig.rigId()), now));
    PriceDecision decision = planner.decide(input, usdPerKwh, peaks.curtail(s, now));
    return switch (decision) {
      case PriceDecision.Keep k -> standing.refreshIfDue(rig, held, now);
      case PriceDecision.Run r -> held.isPresent() && release(rig, eventId, asleep, now);
      case PriceDecision.Reduce(double w) ->
          send(rig, eventId, new Setpoint.PowerTarget(w), asleep, now, usdPerKwh, decision);
      case PriceDecision.Sleep sl ->
          send(rig, eventId, new Setpoint.Sleep(), false, now, usdPerKwh, decision);
    };
  }

  private boolean send(
      RigView rig,
      String eventId,
      Setpoint setpoint,
      boolean wakes,
      Instant now,
      double usdPerKwh,
      PriceDecision why) {
    log.info(
        "Price {} USD/kWh: rig {} ({}) -> {}",
        usdPerKwh,
        rig.rigId(),
        rig.registration().hardwareProfileId(),
        why);
    if (!standing.hold(rig, eventId, setpoint, now)) {
      return false;
    }
    changedAt.put(rig.rigId(), now);
    if (wakes || setpoint instanceof Setpoint.Sleep) {
      onOffAt.put(rig.rigId(), now);
    }
    return true;
  }

  private boolean release(RigView rig, String eventId, boolean wakes, Instant now) {
    if (!standing.release(rig, eventId, now)) {
      return false;
    }
    log.info("Price-driven curtailment of rig {} released", rig.rigId());
    changedAt.put(rig.rigId(), now);
    if (wakes) {
      onOffAt.put(rig.rigId(), now);
    }
    return true;
  }

  /** The price in force at the last tick, the strikes of connected models and curtailed rigs. */
  public PriceStatus status() {
    Map<String, PriceStatus.Strike> models = new TreeMap<>();
    List<PriceStatus.CurtailedRig> curtailed = new ArrayList<>();
    for (String siteId : fleet.sites().stream().sorted().toList()) {
      String eventId = eventIdOf(siteId);
      for (RigView rig : fleet.rigsOfSite(siteId)) {
        String profileId = rig.registration().hardwareProfileId();
        if (rig.connected() && !models.containsKey(profileId)) {
          strikes
              .of(profileId)
              .ifPresent(
                  s ->
                      models.put(
                          profileId,
                          new PriceStatus.Strike(
                              profileId,
                              s.reduceAboveUsdPerKwh(),
                              s.sleepAboveUsdPerKwh(),
                              s.nameplateBreakEvenUsdPerKwh())));
        }
        Optional<HeldCommand> held = rig.command();
        if (held.isPresent() && held.get().eventId().equals(eventId)) {
          Setpoint sp = held.get().setpoint();
          curtailed.add(
              new PriceStatus.CurtailedRig(
                  siteId,
                  rig.rigId(),
                  profileId,
                  sp instanceof Setpoint.Sleep,
                  sp instanceof Setpoint.PowerTarget(double w)
                      ? w
                      : rig.registration().nameplate().sleepPowerW(),
                  held.get().issuedAt()));
        }
      }
    }
    String problem = lastProblem;
    if (problem == null && price instanceof PriceStack stack) {
      for (PriceFeed feed : stack.feeds()) {
        if (feed instanceof PriceFileFeed file && file.lastError().isPresent()) {
          problem = file.lastError().get();
        }
      }
    }
    return new PriceStatus(
        lastTickAt,
        Optional.ofNullable(lastQuote),
        Optional.ofNullable(problem),
        List.copyOf(models.values()),
        curtailed);
  }

  /** The event id price-driven commands of a site carry. */
  public static String eventIdOf(String siteId) {
    return "price:" + siteId;
  }

  private static double secondsSince(Instant then, Instant now) {
    return then == null
        ? Double.POSITIVE_INFINITY
        : Math.max(0, Duration.between(then, now).toMillis() / 1000.0);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
