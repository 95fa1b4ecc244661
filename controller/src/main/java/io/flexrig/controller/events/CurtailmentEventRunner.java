package io.flexrig.controller.events;

import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.DispatchRig;
import io.flexrig.controller.dispatch.Dispatcher;
import io.flexrig.controller.dispatch.KnobRange;
import io.flexrig.controller.dispatch.Pacing;
import io.flexrig.controller.dispatch.ProfileValuation;
import io.flexrig.controller.dispatch.ReleasePlan;
import io.flexrig.controller.dispatch.RigValuation;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.controller.fleet.SiteLoad;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs curtailment events: validates and creates them, dispatches at the start, keeps the site at
 * its target in a closed loop on measured power, and releases the rigs, staggered, at the end.
 *
 * <p>The closed loop compares the site's measured power (sum of its rigs' fresh samples plus the
 * last known power of silent ones) with the target every control period, once the slowest knob
 * dispatched last has had time to act: above the target it dispatches more; below the dispatcher's
 * aim by more than its deadband it gives load back ({@link Dispatcher#release}), the rigs that earn
 * most per watt first, never a rig before its hold or minimum off-time. Rigs it slept or woke are
 * remembered per event, so a rig just woken is not slept again before its minimum on-time.
 *
 * <p>Every change of an event happens on one scheduler thread, so an event needs no lock; callers
 * on other threads get futures. Events are persisted through the {@link EventJournal} at each
 * change and resumed by {@link #resume()} after a restart.
 */
public final class CurtailmentEventRunner implements AutoCloseable {

  /**
   * The runner's rhythm.
   *
   * @param controlPeriod how often the closed loop compares measured power with the target
   * @param observePeriod how often target_met is checked (its resolution)
   * @param releaseSpread releases are spread over this, so the site does not step back at once
   * @param startTolerance how far in the past a start may lie (clock skew, network delay)
   * @param maxResponseTime the longest response time accepted
   * @param settleGrace extra time after the slowest knob's latency before the loop judges
   * @param fleetReturnGrace after a restart, how long an event due to start waits at most for the
   *     site's rigs to reconnect and report (it starts as soon as they all have)
   */
  public record Timing(
      Duration controlPeriod,
      Duration observePeriod,
      Duration releaseSpread,
      Duration startTolerance,
      Duration maxResponseTime,
      Duration settleGrace,
      Duration fleetReturnGrace) {

    /** How long a resumed event waits at most for the fleet by default. */
    public static final Duration DEFAULT_FLEET_RETURN_GRACE = Duration.ofSeconds(30);

    public static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(2),
            Duration.ofMillis(250),
            Duration.ofSeconds(3),
            Duration.ofSeconds(5),
            Duration.ofHours(1),
            Duration.ofMillis(500),
            DEFAULT_FLEET_RETURN_GRACE);

    /** The timing with the default {@link #fleetReturnGrace()}. */
    public Timing(
        Duration controlPeriod,
        Duration observePeriod,
        Duration releaseSpread,
        Duration startTolerance,
        Duration maxResponseTime,
        Duration settleGrace) {
      this(
          controlPeriod,
          observePeriod,
          releaseSpread,
          startTolerance,
          maxResponseTime,
          settleGrace,
          DEFAULT_FLEET_RETURN_GRACE);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(CurtailmentEventRunner.class);
  private static final Duration RELEASE_EXPIRY = Duration.ofMinutes(10);
  private static final Duration FINISHED_RETENTION = Duration.ofMinutes(1);

  private final FleetState fleet;
  private final EventJournal journal;
  private final CommandSender sender;
  private final Dispatcher dispatcher;
  private final RigValuation valuation;
  private final Clock clock;
  private final Timing timing;
  private final ScheduledExecutorService scheduler;
  private final Map<String, EventRun> runs = new ConcurrentHashMap<>();
  private final Map<String, CopyOnWriteArrayList<Runnable>> listeners = new ConcurrentHashMap<>();
  private final Object creating = new Object();

  public CurtailmentEventRunner(
      FleetState fleet,
      EventJournal journal,
      CommandSender sender,
      Dispatcher dispatcher,
      Clock clock,
      Timing timing) {
    this(fleet, journal, sender, dispatcher, ProfileValuation.seeds(), clock, timing);
  }

  /**
   * @param valuation revenue curves and time rules by hardware profile, for the merit order
   */
  public CurtailmentEventRunner(
      FleetState fleet,
      EventJournal journal,
      CommandSender sender,
      Dispatcher dispatcher,
      RigValuation valuation,
      Clock clock,
      Timing timing) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    this.valuation = Objects.requireNonNull(valuation, "valuation");
    this.journal = Objects.requireNonNull(journal, "journal");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("curtailment-events").daemon(true).factory());
  }

  /**
   * Loads SCHEDULED and ACTIVE events from the journal and picks them up where they were.
   *
   * <p>Call it once the rigs known before the restart are restored into the fleet and before agents
   * can reconnect: a scheduled event due to start before the fleet is back waits for the site's
   * rigs of now (connected and reporting power) or for {@link Timing#fleetReturnGrace()}, whichever
   * comes first, so its baseline is not measured on a site that looks empty.
   */
  public void resume() {
    Instant now = clock.instant();
    Instant graceEnd = now.plus(timing.fleetReturnGrace());
    for (CurtailmentEvent event : journal.unfinished()) {
      EventRun run = new EventRun(event, true);
      if (event.state() == EventState.SCHEDULED) {
        Set<String> rigIds = new LinkedHashSet<>();
        for (RigView rig : fleet.rigsOfSite(event.siteId())) {
          rigIds.add(rig.rigId());
        }
        run.fleetWait = new FleetWait(Set.copyOf(rigIds), graceEnd);
      }
      runs.put(event.eventId(), run);
      if (!event.endAt().isAfter(now)) {
        // Agents drop commands at their expiry (the event end) by themselves.
        scheduler.execute(() -> end(run, EventState.COMPLETED));
      } else if (event.state() == EventState.ACTIVE) {
        log.info("Resuming active curtailment event {}", event.eventId());
        scheduler.execute(() -> scheduleActive(run));
      } else {
        scheduleStart(run);
      }
    }
  }

  /**
   * Validates and creates an event; completes once it is stored. A request id seen before returns
   * the event created for it, whatever the rest of the request says.
   */
  public CompletableFuture<CurtailmentEvent> create(EventRequest request)
      throws InvalidEventException {
    if (request.requestId() == null || request.requestId().isBlank()) {
      throw new InvalidEventException("request_id is required (it makes retries safe)");
    }
    EventRun run;
    synchronized (creating) {
      Optional<CurtailmentEvent> existing = findByRequestId(request.requestId());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
      CurtailmentEvent event = validate(request);
      run = new EventRun(event, false);
      runs.put(event.eventId(), run);
    }
    return journal
        .save(run.event)
        .handle(
            (ok, failure) -> {
              if (failure != null) {
                runs.remove(run.event.eventId());
                throw new IllegalStateException("cannot store the event", failure);
              }
              log.info(
                  "Curtailment event {} created for site {}: {} from {} to {}",
                  run.event.eventId(),
                  run.event.siteId(),
                  run.event.target(),
                  run.event.startAt(),
                  run.event.endAt());
              scheduleStart(run);
              return run.event;
            });
  }

  /** Cancels a scheduled or active event; a finished event is returned as it is. */
  public CompletableFuture<CurtailmentEvent> cancel(String eventId) throws UnknownEventException {
    EventRun run = runs.get(eventId);
    if (run == null) {
      return CompletableFuture.completedFuture(
          journal.find(eventId).orElseThrow(() -> new UnknownEventException(eventId)));
    }
    CompletableFuture<CurtailmentEvent> result = new CompletableFuture<>();
    scheduler.execute(
        () -> {
          try {
            if (!run.event.state().finished()) {
              end(run, EventState.CANCELLED);
            }
            result.complete(run.event);
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  public Optional<CurtailmentEvent> find(String eventId) {
    EventRun run = runs.get(eventId);
    return run != null ? Optional.of(run.event) : journal.find(eventId);
  }

  /** The site's events, newest start first; in-memory state wins over the stored copy. */
  public List<CurtailmentEvent> list(String siteId, int limit) {
    List<CurtailmentEvent> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (CurtailmentEvent stored : journal.list(siteId, limit)) {
      EventRun run = runs.get(stored.eventId());
      out.add(run != null ? run.event : stored);
      seen.add(stored.eventId());
    }
    for (EventRun run : runs.values()) {
      if (run.event.siteId().equals(siteId) && !seen.contains(run.event.eventId())) {
        out.add(run.event);
      }
    }
    out.sort(
        Comparator.comparing(CurtailmentEvent::startAt)
            .thenComparing(CurtailmentEvent::createdAt)
            .reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  /** The event's status, measured now. */
  public EventStatus status(String eventId) throws UnknownEventException {
    CurtailmentEvent event = find(eventId).orElseThrow(() -> new UnknownEventException(eventId));
    double measuredKw = fleet.estimatedW(event.siteId()) / 1000;
    double baselineKw = event.baselineKw().orElse(measuredKw);
    double targetKw = event.targetKw().orElse(event.target().targetKw(baselineKw));
    int curtailed = fleet.rigsHoldingCommandOf(event.siteId(), eventId);
    boolean met = event.state() == EventState.ACTIVE && measuredKw <= targetKw;
    EventRun run = runs.get(eventId);
    FleetWait wait = run == null || event.state() != EventState.SCHEDULED ? null : run.fleetWait;
    Optional<EventStatus.FleetReturn> awaiting =
        wait == null || !event.startAt().isBefore(clock.instant())
            ? Optional.empty()
            : Optional.of(
                new EventStatus.FleetReturn(rigsBack(wait), wait.rigIds().size(), wait.until()));
    return new EventStatus(
        event, baselineKw, targetKw, measuredKw, curtailed, met, clock.instant(), awaiting);
  }

  /** The id of the site's event that is active now, if any. */
  public Optional<String> activeEventOf(String siteId) {
    return runs.values().stream()
        .map(r -> r.event)
        .filter(e -> e.siteId().equals(siteId) && e.state() == EventState.ACTIVE)
        .map(CurtailmentEvent::eventId)
        .findFirst();
  }

  /**
   * Calls {@code onChange} (on the runner's thread; it must not block) whenever the event starts,
   * first meets its target or ends. Close the returned handle to stop.
   */
  public AutoCloseable onChange(String eventId, Runnable onChange) {
    listeners.computeIfAbsent(eventId, id -> new CopyOnWriteArrayList<>()).add(onChange);
    return () -> {
      var list = listeners.get(eventId);
      if (list != null) {
        list.remove(onChange);
      }
    };
  }

  private CurtailmentEvent validate(EventRequest r) throws InvalidEventException {
    Instant now = clock.instant();
    if (r.siteId() == null || r.siteId().isBlank()) {
      throw new InvalidEventException("site_id is required");
    }
    if (!fleet.knowsSite(r.siteId())) {
      throw new InvalidEventException("unknown site '" + r.siteId() + "'");
    }
    EventTarget target =
        r.target()
            .orElseThrow(
                () ->
                    new InvalidEventException(
                        "one of reduce_by_kw or cap_site_kw or setpoint_schedule is required"));
    Instant start = r.startAt().orElse(now);
    if (start.isBefore(now.minus(timing.startTolerance()))) {
      throw new InvalidEventException("start_at " + start + " is in the past (now " + now + ")");
    }
    Duration response = r.responseTime();
    if (response == null || response.toMillis() <= 0) {
      throw new InvalidEventException("response_time_s must be > 0");
    }
    if (response.compareTo(timing.maxResponseTime()) > 0) {
      throw new InvalidEventException(
          "response_time_s must be at most " + timing.maxResponseTime().toSeconds() + " s");
    }
    Instant end = r.endAt().orElseThrow(() -> new InvalidEventException("end_at is required"));
    if (!end.isAfter(start)) {
      throw new InvalidEventException("end_at " + end + " must be after start_at " + start);
    }
    validateTarget(target, end);
    requireNoOverlap(r.siteId(), "", start, end);
    // Millisecond precision: what the store keeps, so an event reads back equal to itself.
    return new CurtailmentEvent(
        UUID.randomUUID().toString(),
        r.siteId(),
        r.requestId(),
        target,
        start.truncatedTo(ChronoUnit.MILLIS),
        Duration.ofMillis(response.toMillis()),
        end.truncatedTo(ChronoUnit.MILLIS),
        r.program(),
        EventState.SCHEDULED,
        now.truncatedTo(ChronoUnit.MILLIS),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty());
  }

  private Optional<CurtailmentEvent> findByRequestId(String requestId) {
    for (EventRun run : runs.values()) {
      if (run.event.requestId().equals(requestId)) {
        return Optional.of(run.event);
      }
    }
    return journal.findByRequestId(requestId);
  }

  private void scheduleStart(EventRun run) {
    long delay = Math.max(0, Duration.between(clock.instant(), run.event.startAt()).toMillis());
    run.start = scheduler.schedule(guarded(run, () -> start(run)), delay, TimeUnit.MILLISECONDS);
  }

  private void start(EventRun run) {
    if (run.event.state() != EventState.SCHEDULED) {
      return;
    }
    if (!run.event.endAt().isAfter(clock.instant())) {
      end(run, EventState.COMPLETED); // it ended while waiting for the fleet
      return;
    }
    if (awaitingFleet(run)) {
      run.start =
          scheduler.schedule(
              guarded(run, () -> start(run)),
              timing.observePeriod().toMillis(),
              TimeUnit.MILLISECONDS);
      return;
    }
    SiteLoad load = fleet.siteLoad(run.event.siteId());
    double baselineKw = load.estimatedW() / 1000;
    double targetKw = run.event.target().targetKw(baselineKw, clock.instant());
    run.event = run.event.started(baselineKw, targetKw);
    journal.save(run.event);
    log.info(
        "Event {} started: site {} baseline {} kW, target {} kW ({} rigs measured, {} stale)",
        run.event.eventId(),
        run.event.siteId(),
        baselineKw,
        targetKw,
        load.rigsMeasured(),
        load.rigsStale());
    dispatch(run);
    scheduleActive(run);
    notifyListeners(run);
  }

  /**
   * True while a resumed event should wait for its site's rigs before it plans: some rig known
   * before the restart is not back yet (connected and with fresh, usable power) and the grace
   * period has not passed. Logs when the wait starts and ends.
   */
  private boolean awaitingFleet(EventRun run) {
    FleetWait wait = run.fleetWait;
    if (wait == null) {
      return false;
    }
    int back = rigsBack(wait);
    Instant now = clock.instant();
    if (back < wait.rigIds().size() && now.isBefore(wait.until())) {
      if (!run.waitLogged) {
        run.waitLogged = true;
        log.info(
            "Event {} is due but the controller just restarted: waiting for the rigs of site {}"
                + " ({} of {} back) until {} at most",
            run.event.eventId(),
            run.event.siteId(),
            back,
            wait.rigIds().size(),
            wait.until());
      }
      return true;
    }
    run.fleetWait = null;
    if (run.waitLogged) {
      log.info(
          "Event {}: {} of {} rigs of site {} back, starting",
          run.event.eventId(),
          back,
          wait.rigIds().size(),
          run.event.siteId());
    }
    return false;
  }

  private int rigsBack(FleetWait wait) {
    int back = 0;
    for (String rigId : wait.rigIds()) {
      Optional<RigView> rig = fleet.rig(rigId);
      if (rig.isEmpty() || (rig.get().connected() && rig.get().usablePowerW().isPresent())) {
        back++; // a rig forgotten since cannot come back: do not wait for it
      }
    }
    return back;
  }

  private void scheduleActive(EventRun run) {
    long control = timing.controlPeriod().toMillis();
    long observe = timing.observePeriod().toMillis();
    run.control =
        scheduler.scheduleWithFixedDelay(
            guarded(run, () -> control(run)), control, control, TimeUnit.MILLISECONDS);
    run.observe =
        scheduler.scheduleWithFixedDelay(
            guarded(run, () -> observe(run)), 0, observe, TimeUnit.MILLISECONDS);
    long untilEnd = Math.max(0, Duration.between(clock.instant(), run.event.endAt()).toMillis());
    run.end =
        scheduler.schedule(
            guarded(run, () -> end(run, EventState.COMPLETED)), untilEnd, TimeUnit.MILLISECONDS);
    scheduleSteps(run);
  }

  private void observe(EventRun run) {
    if (run.event.state() != EventState.ACTIVE || run.event.targetMetAt().isPresent()) {
      return;
    }
    double measuredKw = fleet.estimatedW(run.event.siteId()) / 1000;
    if (measuredKw <= run.event.targetKw().orElse(Double.NEGATIVE_INFINITY)) {
      run.event = run.event.targetMet(clock.instant());
      journal.save(run.event);
      log.info(
          "Event {} met its target of {} kW at {} (deadline {}: {})",
          run.event.eventId(),
          run.event.targetKw().orElseThrow(),
          run.event.targetMetAt().orElseThrow(),
          run.event.deadline(),
          run.event.deadlineMet() ? "met" : "missed");
      notifyListeners(run);
    }
  }

  private void control(EventRun run) {
    if (run.event.state() != EventState.ACTIVE) {
      return;
    }
    Instant now = clock.instant();
    if (run.settledAt != null && now.isBefore(run.settledAt)) {
      return; // the slowest knob dispatched last may still be ramping
    }
    double measuredW = fleet.estimatedW(run.event.siteId());
    double targetW = run.event.targetKw().orElseThrow() * 1000;
    if (measuredW > targetW) {
      log.info(
          "Event {}: site at {} kW above target {} kW, dispatching more",
          run.event.eventId(),
          measuredW / 1000,
          targetW / 1000);
      dispatch(run);
    } else {
      releaseSurplus(run, measuredW, targetW);
    }
  }

  /** Gives load back when the site sheds more than the target asks (beyond the deadband). */
  private void releaseSurplus(EventRun run, double measuredW, double targetW) {
    CurtailmentEvent event = run.event;
    Instant now = clock.instant();
    List<DispatchRig> held = new ArrayList<>();
    Map<String, RigView> byId = new java.util.HashMap<>();
    for (RigView rig : fleet.rigsOfSite(event.siteId())) {
      if (rig.connected()
          && rig.command().map(c -> c.eventId().equals(event.eventId())).orElse(false)) {
        byId.put(rig.rigId(), rig);
        held.add(dispatchRig(rig, event.eventId(), run, now));
      }
    }
    if (held.isEmpty()) {
      return;
    }
    ReleasePlan plan = dispatcher.release(targetW, measuredW, held);
    if (plan.isEmpty()) {
      return;
    }
    log.info(
        "Event {}: site at {} kW, {} kW below target; raising {} rigs, releasing {}",
        event.eventId(),
        measuredW / 1000,
        (targetW - measuredW) / 1000,
        plan.raised().size(),
        plan.released().size());
    double slowestS = 0;
    for (var entry : plan.raised().entrySet()) {
      RigView rig = byId.get(entry.getKey());
      boolean wakes = rig.command().map(c -> c.setpoint() instanceof Setpoint.Sleep).orElse(false);
      if (send(run, rig, entry.getValue(), now)) {
        slowestS = Math.max(slowestS, knobLatency(rig, entry.getValue()));
        if (wakes) {
          run.onOffAt.put(rig.rigId(), now);
        }
      }
    }
    for (String rigId : plan.released()) {
      RigView rig = byId.get(rigId);
      boolean wakes = rig.command().map(c -> c.setpoint() instanceof Setpoint.Sleep).orElse(false);
      RigCommand command =
          new RigCommand(
              UUID.randomUUID().toString(),
              event.eventId(),
              rigId,
              now,
              now.plus(timing.releaseSpread()),
              now.plus(RELEASE_EXPIRY),
              RigCommand.Action.RELEASE,
              0);
      journal.commandIssued(command);
      if (sender.send(command)) {
        fleet.releaseCommand(rigId, event.eventId());
        if (wakes) {
          run.onOffAt.put(rigId, now);
        }
      }
    }
    run.settledAt = now.plusMillis((long) (slowestS * 1000)).plus(timing.settleGrace());
    notifyListeners(run);
  }

  private void dispatch(EventRun run) {
    CurtailmentEvent event = run.event;
    Instant now = clock.instant();
    List<DispatchRig> candidates = new ArrayList<>();
    Map<String, RigView> byId = new java.util.HashMap<>();
    for (RigView rig : fleet.rigsOfSite(event.siteId())) {
      if (!rig.connected()) {
        continue;
      }
      byId.put(rig.rigId(), rig);
      candidates.add(dispatchRig(rig, event.eventId(), run, now));
    }
    double siteW = fleet.estimatedW(event.siteId());
    double targetW = event.targetKw().orElseThrow() * 1000;
    DispatchPlan plan =
        dispatcher.plan(
            targetW,
            siteW,
            Duration.between(now, event.deadline()),
            Duration.between(now, event.endAt()),
            candidates);
    journal.planMade(event.eventId(), now, targetW, siteW, plan);
    double slowestS = 0;
    for (var entry : plan.setpoints().entrySet()) {
      RigView rig = byId.get(entry.getKey());
      Setpoint setpoint = entry.getValue();
      if (send(run, rig, setpoint, now)) {
        slowestS = Math.max(slowestS, knobLatency(rig, setpoint));
        if (setpoint instanceof Setpoint.Sleep) {
          run.onOffAt.put(rig.rigId(), now);
        }
      }
    }
    run.settledAt = now.plusMillis((long) (slowestS * 1000)).plus(timing.settleGrace());
    if (!plan.targetReachable()) {
      log.warn(
          "Event {}: best effort, expected {} kW stays {} kW above target {} kW; skipped {}",
          event.eventId(),
          plan.expectedSiteW() / 1000,
          plan.shortfallW() / 1000,
          targetW / 1000,
          plan.skipped());
    }
    if (!plan.setpoints().isEmpty()) {
      notifyListeners(run);
    }
  }

  // ---- modification and setpoint schedules (kept apart from the closed loop above) ----

  /**
   * Changes the target and/or the end of a scheduled or active event; completes once stored. An
   * active event is re-dispatched at once toward its new target.
   *
   * @throws InvalidEventException when the change is malformed or the event has finished
   */
  public CompletableFuture<CurtailmentEvent> modify(
      String eventId, Optional<EventTarget> newTarget, Optional<Instant> newEnd)
      throws InvalidEventException, UnknownEventException {
    EventRun run = runs.get(eventId);
    if (run == null) {
      CurtailmentEvent stored =
          journal.find(eventId).orElseThrow(() -> new UnknownEventException(eventId));
      throw new EventFinishedException(
          "event " + eventId + " is " + stored.state().name().toLowerCase() + "; cannot modify");
    }
    if (newTarget.isEmpty() && newEnd.isEmpty()) {
      throw new InvalidEventException("nothing to modify: give a new target or end_at");
    }
    CompletableFuture<CurtailmentEvent> result = new CompletableFuture<>();
    scheduler.execute(
        () -> {
          try {
            result.complete(applyModification(run, newTarget, newEnd));
          } catch (InvalidEventException | RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result.thenCompose(event -> journal.save(event).thenApply(ok -> event));
  }

  private CurtailmentEvent applyModification(
      EventRun run, Optional<EventTarget> newTarget, Optional<Instant> newEnd)
      throws InvalidEventException {
    CurtailmentEvent event = run.event;
    if (event.state().finished()) {
      throw new EventFinishedException(
          "event "
              + event.eventId()
              + " is "
              + event.state().name().toLowerCase()
              + "; cannot modify");
    }
    Instant now = clock.instant();
    Instant end = newEnd.map(e -> e.truncatedTo(ChronoUnit.MILLIS)).orElse(event.endAt());
    if (!end.isAfter(event.startAt()) || !end.isAfter(now)) {
      throw new InvalidEventException(
          "end_at " + end + " must be after start_at " + event.startAt() + " and in the future");
    }
    EventTarget target = newTarget.orElse(event.target());
    validateTarget(target, end);
    requireNoOverlap(event.siteId(), event.eventId(), event.startAt(), end);
    boolean active = event.state() == EventState.ACTIVE;
    Optional<Double> targetKw =
        active
            ? Optional.of(target.targetKw(event.baselineKw().orElseThrow(), now))
            : event.targetKw();
    run.event = event.modified(target, end, targetKw);
    log.info(
        "Event {} modified: {} until {} (target now {} kW)",
        event.eventId(),
        target,
        end,
        targetKw.map(String::valueOf).orElse("set at start"));
    if (active) {
      if (run.end != null) {
        run.end.cancel(false);
      }
      long untilEnd = Math.max(0, Duration.between(now, end).toMillis());
      run.end =
          scheduler.schedule(
              guarded(run, () -> end(run, EventState.COMPLETED)), untilEnd, TimeUnit.MILLISECONDS);
      cancelSteps(run);
      scheduleSteps(run);
      run.settledAt = null;
      dispatch(run);
    }
    notifyListeners(run);
    return run.event;
  }

  /** For a schedule: one task per step still ahead, each moving the target and dispatching. */
  private void scheduleSteps(EventRun run) {
    if (!(run.event.target() instanceof EventTarget.Schedule schedule)) {
      return;
    }
    Instant now = clock.instant();
    if (run.resumed && run.event.state() == EventState.ACTIVE) {
      // Steps that passed while the controller was down: catch up with the one in force now.
      scheduler.execute(guarded(run, () -> step(run, now)));
    }
    for (EventTarget.Schedule.Step step : schedule.steps()) {
      if (step.startAt().isAfter(now) && step.startAt().isBefore(run.event.endAt())) {
        long delay = Duration.between(now, step.startAt()).toMillis();
        run.steps.add(
            scheduler.schedule(
                guarded(run, () -> step(run, step.startAt())), delay, TimeUnit.MILLISECONDS));
      }
    }
  }

  private void step(EventRun run, Instant stepStart) {
    CurtailmentEvent event = run.event;
    if (event.state() != EventState.ACTIVE) {
      return;
    }
    // The timer may fire a little early (millisecond delays): the step's own start decides.
    Instant at = later(clock.instant(), stepStart);
    double targetKw = event.target().targetKw(event.baselineKw().orElseThrow(), at);
    if (event.targetKw().equals(Optional.of(targetKw))) {
      return;
    }
    run.event = event.modified(event.target(), event.endAt(), Optional.of(targetKw));
    journal.save(run.event);
    log.info("Event {}: schedule step, target now {} kW", event.eventId(), targetKw);
    run.settledAt = null;
    dispatch(run);
    notifyListeners(run);
  }

  private static void cancelSteps(EventRun run) {
    for (ScheduledFuture<?> f : run.steps) {
      f.cancel(false);
    }
    run.steps.clear();
  }

  private static void validateTarget(EventTarget target, Instant end) throws InvalidEventException {
    switch (target) {
      case EventTarget.ReduceBy(double v) -> requirePositive("reduce_by_kw", v);
      case EventTarget.Cap(double v) -> requirePositive("cap_site_kw", v);
      case EventTarget.Schedule s -> {
        Instant previous = null;
        for (int i = 0; i < s.steps().size(); i++) {
          EventTarget.Schedule.Step step = s.steps().get(i);
          requirePositive("setpoint_schedule.steps[" + i + "].kw", step.kw());
          if (previous != null && !step.startAt().isAfter(previous)) {
            throw new InvalidEventException(
                "setpoint_schedule.steps[" + i + "].start_at must be after the step before it");
          }
          if (!step.startAt().isBefore(end)) {
            throw new InvalidEventException(
                "setpoint_schedule.steps[" + i + "].start_at must be before end_at " + end);
          }
          previous = step.startAt();
        }
      }
    }
  }

  private static void requirePositive(String field, double kw) throws InvalidEventException {
    if (!(kw > 0) || Double.isInfinite(kw)) {
      throw new InvalidEventException(field + " must be a positive number of kW, got " + kw);
    }
  }

  private void requireNoOverlap(String siteId, String exceptEventId, Instant start, Instant end)
      throws InvalidEventException {
    for (EventRun other : runs.values()) {
      CurtailmentEvent o = other.event;
      if (o.siteId().equals(siteId)
          && !o.eventId().equals(exceptEventId)
          && !o.state().finished()
          && start.isBefore(o.endAt())
          && o.startAt().isBefore(end)) {
        throw new InvalidEventException(
            "overlaps event " + o.eventId() + " of site " + siteId + "; cancel it first");
      }
    }
  }

  /** Journals, holds and sends one setpoint; false when the rig has no live session. */
  private boolean send(EventRun run, RigView rig, Setpoint setpoint, Instant now) {
    CurtailmentEvent event = run.event;
    double latencyS = knobLatency(rig, setpoint);
    Instant rigDeadline = later(event.deadline(), now.plusMillis((long) (latencyS * 1000)));
    RigCommand command =
        new RigCommand(
            UUID.randomUUID().toString(),
            event.eventId(),
            rig.rigId(),
            now,
            rigDeadline,
            event.endAt(),
            setpoint instanceof Setpoint.Sleep
                ? RigCommand.Action.SLEEP
                : RigCommand.Action.SET_POWER_TARGET,
            setpoint instanceof Setpoint.PowerTarget(double w) ? w : 0);
    journal.commandIssued(command);
    // Held before it is sent: a fast agent's ack must find the command it answers.
    HeldCommand previous =
        fleet.holdCommand(
            rig.rigId(), new HeldCommand(command.commandId(), event.eventId(), setpoint, now));
    if (sender.send(command)) {
      run.rigsCommanded.add(rig.rigId());
      return true;
    }
    fleet.commandNotSent(rig.rigId(), command.commandId(), previous);
    log.warn("Event {}: rig {} has no live session", event.eventId(), rig.rigId());
    return false;
  }

  private DispatchRig dispatchRig(RigView rig, String eventId, EventRun run, Instant now) {
    var reg = rig.registration();
    Optional<KnobRange> target =
        reg.capability(CurtailmentMethodKind.POWER_TARGET)
            .or(() -> reg.capability(CurtailmentMethodKind.GPU_POWER_LIMIT))
            .map(CurtailmentEventRunner::knob);
    Optional<KnobRange> sleep =
        reg.capability(CurtailmentMethodKind.SLEEP).map(CurtailmentEventRunner::knob);
    Optional<HeldCommand> held = rig.command().filter(c -> c.eventId().equals(eventId));
    Pacing rules = valuation.pacing(reg.hardwareProfileId());
    Instant onOff = run.onOffAt.get(rig.rigId());
    Pacing pacing =
        new Pacing(
            Math.max(0, reg.nameplate().rampWPerS()),
            rules.minOnS(),
            rules.minOffS(),
            onOff == null ? Double.POSITIVE_INFINITY : secondsBetween(onOff, now),
            held.map(h -> secondsBetween(h.issuedAt(), now)).orElse(Double.POSITIVE_INFINITY));
    return new DispatchRig(
        rig.rigId(),
        rig.usablePowerW(),
        reg.nameplate().efficiencyJPerTh(),
        reg.nameplate().sleepPowerW(),
        target,
        sleep,
        held.map(HeldCommand::setpoint),
        reg.nameplate().powerW(),
        valuation.revenue(reg.hardwareProfileId()),
        pacing);
  }

  private static double secondsBetween(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }

  private static KnobRange knob(RigCapability c) {
    double min = Math.max(0, c.minPowerW());
    return new KnobRange(min, Math.max(min, c.maxPowerW()), Math.max(0, c.latencyS()));
  }

  private static double knobLatency(RigView rig, Setpoint setpoint) {
    var reg = rig.registration();
    Optional<RigCapability> cap =
        setpoint instanceof Setpoint.Sleep
            ? reg.capability(CurtailmentMethodKind.SLEEP)
            : reg.capability(CurtailmentMethodKind.POWER_TARGET)
                .or(() -> reg.capability(CurtailmentMethodKind.GPU_POWER_LIMIT));
    return cap.map(RigCapability::latencyS).orElse(0.0);
  }

  private void end(EventRun run, EventState finalState) {
    if (run.event.state().finished()) {
      return;
    }
    cancelFutures(run);
    boolean wasActive = run.event.state() == EventState.ACTIVE;
    Instant now = clock.instant();
    run.event = run.event.ended(finalState, now);
    journal.save(run.event);
    log.info("Event {} {}", run.event.eventId(), finalState.name().toLowerCase());
    if (wasActive) {
      release(run, now);
    }
    notifyListeners(run);
    // Keep the finished run in memory while releases go out and watchers read the last status;
    // after that the journal answers for it.
    scheduler.schedule(
        () -> {
          runs.remove(run.event.eventId(), run);
          listeners.remove(run.event.eventId());
        },
        timing.releaseSpread().plus(FINISHED_RETENTION).toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void release(EventRun run, Instant now) {
    String eventId = run.event.eventId();
    Set<String> rigs = new LinkedHashSet<>(run.rigsCommanded);
    for (RigView rig : fleet.rigsOfSite(run.event.siteId())) {
      // After a restart the controller no longer knows which rigs hold a command: release all.
      if (run.resumed || rig.command().map(c -> c.eventId().equals(eventId)).orElse(false)) {
        rigs.add(rig.rigId());
      }
    }
    // Highest revenue per watt back first: if the spread is cut short (restart, new event), the
    // rigs still waiting are the ones that earn least.
    Map<String, Double> value = new java.util.HashMap<>();
    Map<String, Long> minOffLeftMs = new java.util.HashMap<>();
    for (String rigId : rigs) {
      fleet
          .rig(rigId)
          .ifPresent(
              view -> {
                var reg = view.registration();
                double w = reg.nameplate().powerW();
                value.put(
                    rigId,
                    valuation
                        .revenue(reg.hardwareProfileId())
                        .map(c -> w > 0 ? c.usdPerHourAt(w) / w : 0)
                        .orElse(
                            reg.nameplate().efficiencyJPerTh() > 0
                                ? 1e-3 / reg.nameplate().efficiencyJPerTh()
                                : Double.MAX_VALUE));
                Instant slept = run.onOffAt.get(rigId);
                if (slept != null
                    && view.command()
                        .map(c -> c.setpoint() instanceof Setpoint.Sleep)
                        .orElse(false)) {
                  double minOffS = valuation.pacing(reg.hardwareProfileId()).minOffS();
                  long left = (long) (minOffS * 1000) - Duration.between(slept, now).toMillis();
                  minOffLeftMs.put(rigId, Math.max(0, left));
                }
              });
    }
    List<String> order = new ArrayList<>(rigs);
    order.sort(
        Comparator.comparing((String id) -> value.getOrDefault(id, 0.0))
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    long spreadMs = timing.releaseSpread().toMillis();
    for (int i = 0; i < order.size(); i++) {
      String rigId = order.get(i);
      // Staggered, and a rig slept recently stays asleep for its minimum off-time.
      long delay =
          Math.max(
              order.size() <= 1 ? 0 : spreadMs * i / (order.size() - 1),
              minOffLeftMs.getOrDefault(rigId, 0L));
      scheduler.schedule(
          () -> {
            if (fleet
                .rig(rigId)
                .flatMap(RigView::command)
                .map(c -> !c.eventId().equals(eventId))
                .orElse(false)) {
              return; // a later event has taken the rig over: its setpoint stands
            }
            Instant at = clock.instant();
            RigCommand command =
                new RigCommand(
                    UUID.randomUUID().toString(),
                    eventId,
                    rigId,
                    at,
                    at.plus(timing.releaseSpread()),
                    at.plus(RELEASE_EXPIRY),
                    RigCommand.Action.RELEASE,
                    0);
            journal.commandIssued(command);
            if (!sender.send(command)) {
              log.info("Event {}: rig {} offline at release; its command expires", eventId, rigId);
            }
            fleet.releaseCommand(rigId, eventId);
            notifyListeners(run);
          },
          delay,
          TimeUnit.MILLISECONDS);
    }
  }

  private void cancelFutures(EventRun run) {
    for (ScheduledFuture<?> f :
        new ScheduledFuture<?>[] {run.start, run.control, run.observe, run.end}) {
      if (f != null) {
        f.cancel(false);
      }
    }
    cancelSteps(run);
  }

  private void notifyListeners(EventRun run) {
    var list = listeners.get(run.event.eventId());
    if (list != null) {
      for (Runnable r : list) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("Event listener failed", e);
        }
      }
    }
  }

  private Runnable guarded(EventRun run, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // A failed tick must not cancel the periodic task (the executor would drop it silently).
        log.error("Event {}: tick failed", run.event.eventId(), e);
      }
    };
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Stops the scheduler; events stay in the journal and resume at the next start. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The rigs a resumed event waits for, and until when at most. */
  private record FleetWait(Set<String> rigIds, Instant until) {}

  private static final class EventRun {
    volatile CurtailmentEvent event;
    final boolean resumed;
    // Set when resumed as SCHEDULED; cleared once the fleet is back or the grace has passed.
    volatile FleetWait fleetWait;
    volatile boolean waitLogged;
    final Set<String> rigsCommanded = ConcurrentHashMap.newKeySet();
    // When the loop last slept or woke each rig, for minimum on/off times.
    final Map<String, Instant> onOffAt = new ConcurrentHashMap<>();
    volatile Instant settledAt;
    volatile ScheduledFuture<?> start;
    volatile ScheduledFuture<?> control;
    volatile ScheduledFuture<?> observe;
    volatile ScheduledFuture<?> end;
    final List<ScheduledFuture<?>> steps = new CopyOnWriteArrayList<>();

    EventRun(CurtailmentEvent event, boolean resumed) {
      this.event = event;
      this.resumed = resumed;
    }
  }
}
