package io.flexrig.controller.openadr;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.price.VtnPriceFeed;
import io.flexrig.openadr.EventCancelled;
import io.flexrig.openadr.EventRef;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.GridSignalListener;
import io.flexrig.openadr.ImportCapacityLimit;
import io.flexrig.openadr.PriceSignal;
import io.flexrig.openadr.ReduceLoad;
import io.flexrig.openadr.SetpointSchedule;
import io.flexrig.openadr.SignalStep;
import io.flexrig.openadr.ven.UsageInterval;
import io.flexrig.proto.v1.BaselineMethod;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetComplianceReportRequest;
import io.flexrig.proto.v1.GridServiceGrpc.GridServiceBlockingStub;
import io.flexrig.proto.v1.ModifyCurtailmentEventRequest;
import io.flexrig.proto.v1.WatchEventRequest;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns OpenADR 3 events of the site's programs into curtailment events of the fleet controller,
 * and reports the measured result back to the VTN.
 *
 * <p>It is a client of the controller's own {@code GridService}, like any grid operator: the same
 * validation, idempotency (the request id is derived from the OpenADR event id, its modification
 * time and the interval) and audit path, no second way into the dispatcher. When a curtailment
 * event it created ends, it posts a USAGE / BASELINE / DELTA_USAGE report for the event's interval
 * with the figures of the event's compliance report (the watched figures if there is none). A
 * multi-interval DISPATCH_SETPOINT becomes one setpoint-schedule event; a modified OpenADR event
 * modifies the curtailment event it created in place when its start did not move.
 */
public final class OpenAdrBridge implements GridSignalListener, AutoCloseable {

  /** Where reports go; in production {@code VenClient::postUsageReport}. */
  @FunctionalInterface
  public interface UsageReporter {
    void report(String openAdrEventId, List<UsageInterval> intervals);
  }

  private static final Logger log = LoggerFactory.getLogger(OpenAdrBridge.class);

  private final String siteId;
  private final GridServiceBlockingStub grid;
  private final Duration responseTime;
  private final Clock clock;
  private final UsageReporter reporter;
  private final VtnPriceFeed prices;
  // One worker per OpenADR notification and per watched event; the listener itself returns at once.
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, List<Created>> curtailmentsByOpenAdrEvent = new ConcurrentHashMap<>();

  /**
   * @param siteId the site this VEN speaks for
   * @param grid the controller's GridService, with grid-operator credentials
   * @param responseTime how long after an OpenADR interval starts the site must be at its target
   *     (the program's response time, e.g. 10 minutes for non-spinning reserve)
   */
  public OpenAdrBridge(
      String siteId,
      GridServiceBlockingStub grid,
      Duration responseTime,
      Clock clock,
      UsageReporter reporter) {
    this(siteId, grid, responseTime, clock, reporter, null);
  }

  /**
   * @param prices where PRICE intervals go, so the VTN's price drives price-driven dispatch; null
   *     when price-driven dispatch is off (PRICE events are then only logged)
   */
  public OpenAdrBridge(
      String siteId,
      GridServiceBlockingStub grid,
      Duration responseTime,
      Clock clock,
      UsageReporter reporter,
      VtnPriceFeed prices) {
    this.prices = prices;
    this.siteId = siteId;
    this.grid = grid;
    this.responseTime = responseTime;
    this.clock = clock;
    this.reporter = reporter;
  }

  @Override
  public void onEvent(EventRef event, List<GridSignal> signals) {
    workers.execute(() -> apply(event, signals));
  }

  /**
   * One curtailment an OpenADR event asks for: its window and target.
   *
   * @param target sets the target on a create request
   * @param modification sets the same target on a modify request
   */
  private record Wanted(
      int intervalId,
      Instant start,
      Duration duration,
      Consumer<CreateCurtailmentEventRequest.Builder> target,
      Consumer<ModifyCurtailmentEventRequest.Builder> modification) {}

  /** A curtailment event created for an OpenADR event. */
  private record Created(String eventId, Instant start) {}

  private void apply(EventRef ref, List<GridSignal> signals) {
    List<Wanted> wanted = new ArrayList<>();
    boolean priced = false;
    for (GridSignal signal : signals) {
      switch (signal) {
        case ReduceLoad r when r.kw() > 0 ->
            wanted.add(
                new Wanted(
                    r.intervalId(),
                    r.start(),
                    r.duration(),
                    b -> b.setReduceByKw(r.kw()),
                    b -> b.setReduceByKw(r.kw())));
        case ReduceLoad r -> log.info("OpenADR event {}: SIMPLE level 0, nothing to shed", ref);
        case ImportCapacityLimit c ->
            wanted.add(
                new Wanted(
                    c.intervalId(),
                    c.start(),
                    c.duration(),
                    b -> b.setCapSiteKw(c.kw()),
                    b -> b.setCapSiteKw(c.kw())));
        case SetpointSchedule s when s.steps().size() == 1 -> {
          SignalStep step = s.steps().getFirst();
          wanted.add(
              new Wanted(
                  step.intervalId(),
                  step.start(),
                  step.duration(),
                  b -> b.setCapSiteKw(step.value()),
                  b -> b.setCapSiteKw(step.value())));
        }
        case SetpointSchedule s -> {
          // Several intervals: one event that follows them step by step, not one per interval
          // (which would release and re-curtail the rigs at every boundary).
          var schedule = schedule(s);
          wanted.add(
              new Wanted(
                  s.steps().getFirst().intervalId(),
                  s.start(),
                  s.duration(),
                  b -> b.setSetpointSchedule(schedule),
                  b -> b.setSetpointSchedule(schedule)));
        }
        case PriceSignal p -> priced |= price(ref, p);
        case EventCancelled c ->
            log.info("OpenADR event {} {}: its curtailments were cancelled", ref, c.reason());
      }
    }
    if (!priced && prices != null) {
      prices.cancel(ref.eventId()); // cancelled, or modified into something without prices
    }
    // A modified OpenADR event replaces all that was said before about it: the same single
    // curtailment changes in place when it can (no release and re-curtail of the rigs), anything
    // else is cancelled and created anew.
    List<Created> previous = curtailmentsByOpenAdrEvent.remove(ref.eventId());
    if (previous != null && previous.size() == 1 && wanted.size() == 1) {
      Optional<Created> modified = modify(ref, previous.getFirst(), wanted.getFirst());
      if (modified.isPresent()) {
        curtailmentsByOpenAdrEvent.put(ref.eventId(), List.of(modified.get()));
        return;
      }
    }
    cancelCurtailments(previous);
    List<Created> created = new ArrayList<>();
    for (Wanted w : wanted) {
      create(ref, w.intervalId(), w.start(), w.duration(), w.target())
          .ifPresent(id -> created.add(new Created(id, w.start())));
    }
    if (!created.isEmpty()) {
      curtailmentsByOpenAdrEvent.put(ref.eventId(), List.copyOf(created));
    }
  }

  /**
   * Hands a PRICE signal's intervals to price-driven dispatch, which compares them with each rig
   * model's strike prices (no curtailment event: the price decides rig by rig).
   *
   * @return whether the prices were taken
   */
  private boolean price(EventRef ref, PriceSignal p) {
    if (prices == null) {
      log.info(
          "OpenADR event {}: {} price intervals received but price-driven dispatch is off"
              + " (configure a tariff, e.g. --price-fixed-usd-per-kwh, to follow VTN prices)",
          ref.eventId(),
          p.steps().size());
      return false;
    }
    if (!"USD".equalsIgnoreCase(p.currency())) {
      log.warn(
          "OpenADR event {}: prices in {} ignored; strike prices are in USD",
          ref.eventId(),
          p.currency());
      return false;
    }
    try {
      prices.prices(
          ref.eventId(),
          p.steps().stream()
              .map(s -> new VtnPriceFeed.Step(s.start(), s.duration(), s.value()))
              .toList());
    } catch (IllegalArgumentException e) {
      log.warn("OpenADR event {}: prices not usable: {}", ref.eventId(), e.getMessage());
      return false;
    }
    log.info(
        "OpenADR event {}: {} price intervals from {} to {} drive price-driven dispatch",
        ref.eventId(),
        p.steps().size(),
        p.start(),
        p.end());
    return true;
  }

  /** Changes the curtailment in place when only its target or end changed; empty otherwise. */
  private Optional<Created> modify(EventRef ref, Created previous, Wanted w) {
    Instant now = clock.instant();
    boolean sameStart = w.start().equals(previous.start());
    boolean startedBoth = !previous.start().isAfter(now) && !w.start().isAfter(now);
    if (!sameStart && !startedBoth) {
      return Optional.empty(); // a new start: the event's start cannot move
    }
    ModifyCurtailmentEventRequest.Builder request =
        ModifyCurtailmentEventRequest.newBuilder()
            .setEventId(previous.eventId())
            .setEndAt(timestamp(w.start().plus(w.duration())))
            .setReason("OpenADR " + ref.eventId() + " modified " + ref.modificationDateTime());
    w.modification().accept(request);
    try {
      CurtailmentEvent changed = grid.modifyCurtailmentEvent(request.build());
      log.info(
          "OpenADR event {} modified -> curtailment event {} modified",
          ref.eventId(),
          changed.getEventId());
      return Optional.of(previous);
    } catch (StatusRuntimeException e) {
      log.info(
          "OpenADR event {}: curtailment {} not modifiable ({}), replacing it",
          ref.eventId(),
          previous.eventId(),
          e.getStatus());
      return Optional.empty();
    }
  }

  /** A multi-interval DISPATCH_SETPOINT as a cap schedule. */
  private static io.flexrig.proto.v1.SetpointSchedule schedule(SetpointSchedule s) {
    var b =
        io.flexrig.proto.v1.SetpointSchedule.newBuilder()
            .setKind(io.flexrig.proto.v1.SetpointKind.SETPOINT_KIND_CAP);
    for (SignalStep step : s.steps()) {
      b.addSteps(
          io.flexrig.proto.v1.SetpointStep.newBuilder()
              .setStartAt(timestamp(step.start()))
              .setKw(step.value()));
    }
    return b.build();
  }

  private Optional<String> create(
      EventRef ref,
      int intervalId,
      Instant start,
      Duration duration,
      Consumer<CreateCurtailmentEventRequest.Builder> target) {
    Instant now = clock.instant();
    Instant end = start.plus(duration);
    if (!end.isAfter(now)) {
      log.info("OpenADR event {} interval {} is already over; ignored", ref.eventId(), intervalId);
      return Optional.empty();
    }
    // An interval announced late still counts from now: the controller refuses starts in the past.
    Instant effectiveStart = start.isBefore(now) ? now : start;
    CreateCurtailmentEventRequest.Builder request =
        CreateCurtailmentEventRequest.newBuilder()
            .setSiteId(siteId)
            .setRequestId(
                "openadr:" + ref.eventId() + ":" + ref.modificationDateTime() + ":" + intervalId)
            .setStartAt(timestamp(effectiveStart))
            .setEndAt(timestamp(end))
            .setResponseTimeS(Math.min(responseTime.toMillis(), duration.toMillis()) / 1000.0)
            .setProgram("OpenADR " + ref.programName() + " / " + ref.eventName());
    target.accept(request);
    try {
      CurtailmentEvent created = grid.createCurtailmentEvent(request.build());
      log.info(
          "OpenADR event {} interval {} -> curtailment event {}",
          ref.eventId(),
          intervalId,
          created.getEventId());
      workers.execute(() -> watchAndReport(ref.eventId(), intervalId, created));
      return Optional.of(created.getEventId());
    } catch (StatusRuntimeException e) {
      log.warn(
          "OpenADR event {} interval {} refused by the controller: {}",
          ref.eventId(),
          intervalId,
          e.getStatus());
      return Optional.empty();
    }
  }

  private void cancelCurtailments(List<Created> previous) {
    if (previous == null) {
      return;
    }
    for (Created c : previous) {
      String eventId = c.eventId();
      try {
        grid.cancelCurtailmentEvent(
            CancelCurtailmentEventRequest.newBuilder().setEventId(eventId).build());
      } catch (StatusRuntimeException e) {
        // Already over or cancelled: nothing left to undo.
        log.debug("cancel of {} not needed: {}", eventId, e.getStatus());
      }
    }
  }

  /** Follows one curtailment event to its end, then reports what the site really drew. */
  private void watchAndReport(String openAdrEventId, int intervalId, CurtailmentEvent event) {
    double sumKw = 0;
    int samples = 0;
    EventStatus last = null;
    try {
      Iterator<EventStatus> statuses =
          grid.watchEvent(WatchEventRequest.newBuilder().setEventId(event.getEventId()).build());
      while (statuses.hasNext()) {
        last = statuses.next();
        if (last.getEvent().getState() == EventState.EVENT_STATE_ACTIVE) {
          sumKw += last.getMeasuredKw();
          samples++;
        }
      }
    } catch (StatusRuntimeException e) {
      log.warn("lost the watch of {}: {}", event.getEventId(), e.getStatus());
      return;
    }
    if (last == null
        || last.getEvent().getState() != EventState.EVENT_STATE_COMPLETED
        || samples == 0) {
      return;
    }
    Instant start = instant(last.getEvent().getStartAt());
    Instant end = instant(last.getEvent().getEndAt());
    double usageKw = sumKw / samples;
    double baselineKw = last.getBaselineKw();
    try {
      // The compliance report's figures are what the operator audits: stored telemetry over the
      // whole event and the program's baseline, rather than the watch's one-second snapshots.
      ComplianceReport report =
          grid.getComplianceReport(
              GetComplianceReportRequest.newBuilder().setEventId(event.getEventId()).build());
      if (report.getIntervalsCount() > 0 && report.getMeasuredKw() > 0) {
        usageKw = report.getMeasuredKw();
        baselineKw =
            report.getDeltaBaseline() == BaselineMethod.BASELINE_METHOD_MIDDLE_8_OF_10_DAYS
                ? report.getLikeDaysBaselineKw()
                : report.getPreEventBaselineKw();
      }
    } catch (StatusRuntimeException e) {
      log.info(
          "no compliance report for {} ({}); reporting the watched figures",
          event.getEventId(),
          e.getStatus());
    }
    UsageInterval interval =
        new UsageInterval(intervalId, start, Duration.between(start, end), usageKw, baselineKw);
    try {
      reporter.report(openAdrEventId, List.of(interval));
      log.info(
          "reported OpenADR event {}: usage {} kW against a baseline of {} kW",
          openAdrEventId,
          Math.round(interval.usageKw() * 10) / 10.0,
          Math.round(interval.baselineKw() * 10) / 10.0);
    } catch (RuntimeException e) {
      log.warn("report for OpenADR event {} failed: {}", openAdrEventId, e.getMessage());
    }
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
