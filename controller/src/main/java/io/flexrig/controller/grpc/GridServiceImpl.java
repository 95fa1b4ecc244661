package io.flexrig.controller.grpc;

import io.flexrig.controller.compliance.ComplianceChart;
import io.flexrig.controller.compliance.ComplianceCsv;
import io.flexrig.controller.compliance.ComplianceReports;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.CurtailmentEventRunner;
import io.flexrig.controller.events.EventFinishedException;
import io.flexrig.controller.events.EventRequest;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.events.InvalidEventException;
import io.flexrig.controller.events.UnknownEventException;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.SiteLoad;
import io.flexrig.controller.price.PriceStatus;
import io.flexrig.controller.store.AuditEntry;
import io.flexrig.controller.store.AuditLog;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetComplianceReportRequest;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetPriceStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.flexrig.proto.v1.ListCurtailmentEventsResponse;
import io.flexrig.proto.v1.ModifyCurtailmentEventRequest;
import io.flexrig.proto.v1.PriceCurtailedRig;
import io.flexrig.proto.v1.PriceDispatchStatus;
import io.flexrig.proto.v1.RigModelStrike;
import io.flexrig.proto.v1.SiteStatus;
import io.flexrig.proto.v1.WatchEventRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid operator's door. Every request is validated first; a malformed one is answered with
 * INVALID_ARGUMENT and the reason, and changes nothing.
 */
public final class GridServiceImpl extends GridServiceGrpc.GridServiceImplBase
    implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GridServiceImpl.class);
  private static final int DEFAULT_LIST_LIMIT = 100;
  private static final int MAX_ID = 128;
  private static final double MAX_SITE_KW = 10_000_000; // 10 GW: larger than any site
  private static final int MAX_LIST_LIMIT = 1000;
  private static final Duration WATCH_PERIOD = Duration.ofSeconds(1);

  private final CurtailmentEventRunner events;
  private final FleetState fleet;
  private final Clock clock;
  private final AuditLog audit;
  private final ComplianceReports reports;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private volatile Supplier<Optional<PriceStatus>> prices = Optional::empty;
  private final ScheduledExecutorService watchTicker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("grid-watch").daemon(true).factory());

  public GridServiceImpl(
      CurtailmentEventRunner events, FleetState fleet, Clock clock, AuditLog audit) {
    this(events, fleet, clock, audit, null);
  }

  /**
   * @param reports compliance reports; null answers GetComplianceReport with UNIMPLEMENTED
   */
  public GridServiceImpl(
      CurtailmentEventRunner events,
      FleetState fleet,
      Clock clock,
      AuditLog audit,
      ComplianceReports reports) {
    this.reports = reports;
    this.audit = audit;
    this.events = events;
    this.fleet = fleet;
    this.clock = clock;
  }

  @Override
  public void createCurtailmentEvent(
      CreateCurtailmentEventRequest request,
      StreamObserver<io.flexrig.proto.v1.CurtailmentEvent> responses) {
    Optional<EventTarget> target;
    try {
      target =
          switch (request.getTargetCase()) {
            case REDUCE_BY_KW -> Optional.of(new EventTarget.ReduceBy(request.getReduceByKw()));
            case CAP_SITE_KW -> Optional.of(new EventTarget.Cap(request.getCapSiteKw()));
            case SETPOINT_SCHEDULE ->
                Optional.of(
                    ProtoMapping.schedule(request.getSetpointSchedule(), "setpoint_schedule"));
            case TARGET_NOT_SET -> Optional.empty();
          };
    } catch (IllegalArgumentException e) {
      audit(
          Caller.current(),
          "CreateCurtailmentEvent",
          "site " + abbreviate(request.getSiteId()),
          "INVALID_ARGUMENT",
          e.getMessage());
      responses.onError(invalid(e.getMessage()));
      return;
    }
    String tooLong = tooLong(request);
    if (tooLong != null) {
      audit(
          Caller.current(),
          "CreateCurtailmentEvent",
          "site " + abbreviate(request.getSiteId()),
          "INVALID_ARGUMENT",
          tooLong);
      responses.onError(invalid(tooLong));
      return;
    }
    double responseS = request.getResponseTimeS();
    // NaN and absurd values become zero or huge durations that validation rejects by name.
    Duration response =
        responseS > 1e7
            ? Duration.ofSeconds(10_000_000)
            : responseS > 0 ? Duration.ofNanos((long) (responseS * 1e9)) : Duration.ZERO;
    Optional<java.time.Instant> start;
    Optional<java.time.Instant> end;
    try {
      start =
          request.hasStartAt()
              ? Optional.of(ProtoMapping.instant(request.getStartAt()))
              : Optional.empty();
      end =
          request.hasEndAt()
              ? Optional.of(ProtoMapping.instant(request.getEndAt()))
              : Optional.empty();
    } catch (IllegalArgumentException e) {
      String problem = "start_at/end_at: " + e.getMessage();
      audit(
          Caller.current(),
          "CreateCurtailmentEvent",
          "site " + abbreviate(request.getSiteId()),
          "INVALID_ARGUMENT",
          problem);
      responses.onError(invalid(problem));
      return;
    }
    EventRequest req =
        new EventRequest(
            request.getSiteId(),
            request.getRequestId(),
            target,
            start,
            response,
            end,
            request.getProgram());
    Caller caller = Caller.current();
    String subject = "site " + request.getSiteId() + " request " + request.getRequestId();
    CompletableFuture<CurtailmentEvent> created;
    try {
      created = events.create(req);
    } catch (InvalidEventException e) {
      audit(caller, "CreateCurtailmentEvent", subject, "INVALID_ARGUMENT", e.getMessage());
      responses.onError(invalid(e.getMessage()));
      return;
    }
    reply(audited(created, caller, "CreateCurtailmentEvent", subject), responses);
  }

  private CompletableFuture<CurtailmentEvent> audited(
      CompletableFuture<CurtailmentEvent> outcome, Caller caller, String action, String subject) {
    return outcome.whenComplete(
        (event, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            String result =
                cause instanceof EventFinishedException
                    ? "FAILED_PRECONDITION"
                    : cause instanceof InvalidEventException ? "INVALID_ARGUMENT" : "INTERNAL";
            audit(caller, action, subject, result, String.valueOf(cause.getMessage()));
          } else {
            audit(
                caller,
                action,
                subject,
                "OK",
                "event " + event.eventId() + " " + event.state() + " target " + event.target());
          }
        });
  }

  private void audit(Caller caller, String action, String subject, String result, String detail) {
    audit
        .record(
            new AuditEntry(
                clock.instant(),
                caller.actor(),
                caller.role().ou(),
                action,
                subject,
                result,
                detail))
        .exceptionally(
            e -> {
              log.error("Audit entry not stored: {} {} {} {}", caller, action, subject, result, e);
              return null;
            });
  }

  @Override
  public void cancelCurtailmentEvent(
      CancelCurtailmentEventRequest request,
      StreamObserver<io.flexrig.proto.v1.CurtailmentEvent> responses) {
    if (request.getEventId().isBlank()) {
      audit(
          Caller.current(),
          "CancelCurtailmentEvent",
          "",
          "INVALID_ARGUMENT",
          "event_id is required");
      responses.onError(invalid("event_id is required"));
      return;
    }
    Caller caller = Caller.current();
    String subject = "event " + request.getEventId();
    try {
      reply(
          audited(events.cancel(request.getEventId()), caller, "CancelCurtailmentEvent", subject),
          responses);
    } catch (UnknownEventException e) {
      audit(caller, "CancelCurtailmentEvent", subject, "NOT_FOUND", e.getMessage());
      responses.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void listCurtailmentEvents(
      ListCurtailmentEventsRequest request,
      StreamObserver<ListCurtailmentEventsResponse> responses) {
    if (request.getSiteId().isBlank()) {
      responses.onError(invalid("site_id is required"));
      return;
    }
    if (request.getLimit() < 0) {
      responses.onError(invalid("limit must be >= 0, got " + request.getLimit()));
      return;
    }
    int limit =
        request.getLimit() == 0 ? DEFAULT_LIST_LIMIT : Math.min(request.getLimit(), MAX_LIST_LIMIT);
    var b = ListCurtailmentEventsResponse.newBuilder();
    for (CurtailmentEvent e : events.list(request.getSiteId(), limit)) {
      b.addEvents(ProtoMapping.event(e));
    }
    responses.onNext(b.build());
    responses.onCompleted();
  }

  @Override
  public void getEventStatus(GetEventStatusRequest request, StreamObserver<EventStatus> responses) {
    if (request.getEventId().isBlank()) {
      responses.onError(invalid("event_id is required"));
      return;
    }
    try {
      responses.onNext(ProtoMapping.status(events.status(request.getEventId())));
      responses.onCompleted();
    } catch (UnknownEventException e) {
      responses.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void watchEvent(WatchEventRequest request, StreamObserver<EventStatus> responses) {
    if (request.getEventId().isBlank()) {
      responses.onError(invalid("event_id is required"));
      return;
    }
    if (events.find(request.getEventId()).isEmpty()) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("no curtailment event with id '" + request.getEventId() + "'")
              .asRuntimeException());
      return;
    }
    new Watch(request.getEventId(), (ServerCallStreamObserver<EventStatus>) responses).start();
  }

  @Override
  public void getSiteStatus(GetSiteStatusRequest request, StreamObserver<SiteStatus> responses) {
    String siteId = request.getSiteId();
    if (siteId.isBlank()) {
      responses.onError(invalid("site_id is required"));
      return;
    }
    if (!fleet.knowsSite(siteId)) {
      responses.onError(
          Status.NOT_FOUND.withDescription("unknown site '" + siteId + "'").asRuntimeException());
      return;
    }
    SiteLoad load = fleet.siteLoad(siteId);
    responses.onNext(
        SiteStatus.newBuilder()
            .setSiteId(siteId)
            .setMeasuredKw(load.measuredW() / 1000)
            .setRigsConnected(load.rigsConnected())
            .setRigsKnown(load.rigsKnown())
            .setRigsCurtailed(load.rigsCurtailed())
            .setNameplateKw(load.nameplateW() / 1000)
            .setObservedAt(ProtoMapping.timestamp(clock.instant()))
            .setActiveEventId(events.activeEventOf(siteId).orElse(""))
            .build());
    responses.onCompleted();
  }

  /** Answers GetPriceStatus from price-driven dispatch (off until this is called). */
  public GridServiceImpl priceStatus(Supplier<Optional<PriceStatus>> status) {
    this.prices = status;
    return this;
  }

  @Override
  public void getPriceStatus(
      GetPriceStatusRequest request, StreamObserver<PriceDispatchStatus> responses) {
    Optional<PriceStatus> status = prices.get();
    PriceDispatchStatus.Builder out = PriceDispatchStatus.newBuilder();
    if (status.isPresent()) {
      PriceStatus s = status.get();
      out.setEnabled(true);
      s.price()
          .ifPresent(
              q -> out.setPriceKnown(true).setUsdPerKwh(q.usdPerKwh()).setSource(q.source()));
      if (s.at() != null) {
        out.setEvaluatedAt(ProtoMapping.timestamp(s.at()));
      }
      out.setProblem(s.problem().orElse(""));
      for (PriceStatus.Strike k : s.strikes()) {
        boolean reduces = Double.isFinite(k.reduceAboveUsdPerKwh());
        out.addStrikes(
            RigModelStrike.newBuilder()
                .setHardwareProfileId(k.profileId())
                .setReduces(reduces)
                .setReduceAboveUsdPerKwh(reduces ? k.reduceAboveUsdPerKwh() : 0)
                .setSleepAboveUsdPerKwh(k.sleepAboveUsdPerKwh())
                .setBreakEvenUsdPerKwh(k.nameplateBreakEvenUsdPerKwh()));
      }
      for (PriceStatus.CurtailedRig r : s.curtailed()) {
        if (request.getSiteId().isBlank() || request.getSiteId().equals(r.siteId())) {
          out.addCurtailed(
              PriceCurtailedRig.newBuilder()
                  .setSiteId(r.siteId())
                  .setRigId(r.rigId())
                  .setHardwareProfileId(r.profileId())
                  .setAsleep(r.asleep())
                  .setPowerW(r.powerW())
                  .setSince(ProtoMapping.timestamp(r.since())));
        }
      }
    }
    responses.onNext(out.build());
    responses.onCompleted();
  }

  @Override
  public void modifyCurtailmentEvent(
      ModifyCurtailmentEventRequest request,
      StreamObserver<io.flexrig.proto.v1.CurtailmentEvent> responses) {
    Caller caller = Caller.current();
    String subject =
        "event "
            + abbreviate(request.getEventId())
            + (request.getReason().isEmpty() ? "" : " reason " + abbreviate(request.getReason()));
    String problem = null;
    Optional<EventTarget> target = Optional.empty();
    if (request.getEventId().isBlank()) {
      problem = "event_id is required";
    } else if (request.getEventId().length() > MAX_ID || request.getReason().length() > MAX_ID) {
      problem = "event_id and reason are at most " + MAX_ID + " characters";
    } else {
      try {
        target =
            switch (request.getTargetCase()) {
              case REDUCE_BY_KW -> Optional.of(new EventTarget.ReduceBy(request.getReduceByKw()));
              case CAP_SITE_KW -> Optional.of(new EventTarget.Cap(request.getCapSiteKw()));
              case SETPOINT_SCHEDULE ->
                  Optional.of(
                      ProtoMapping.schedule(request.getSetpointSchedule(), "setpoint_schedule"));
              case TARGET_NOT_SET -> Optional.empty();
            };
        double kw = request.getReduceByKw() + request.getCapSiteKw();
        for (var step : request.getSetpointSchedule().getStepsList()) {
          kw = Math.max(kw, step.getKw());
        }
        problem = beyondAnySite(kw);
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      audit(caller, "ModifyCurtailmentEvent", subject, "INVALID_ARGUMENT", problem);
      responses.onError(invalid(problem));
      return;
    }
    Optional<java.time.Instant> end;
    try {
      end =
          request.hasEndAt()
              ? Optional.of(ProtoMapping.instant(request.getEndAt()))
              : Optional.empty();
    } catch (IllegalArgumentException e) {
      String invalidEnd = "end_at: " + e.getMessage();
      audit(caller, "ModifyCurtailmentEvent", subject, "INVALID_ARGUMENT", invalidEnd);
      responses.onError(invalid(invalidEnd));
      return;
    }
    try {
      reply(
          audited(
              events.modify(request.getEventId(), target, end),
              caller,
              "ModifyCurtailmentEvent",
              subject),
          responses);
    } catch (UnknownEventException e) {
      audit(caller, "ModifyCurtailmentEvent", subject, "NOT_FOUND", e.getMessage());
      responses.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    } catch (EventFinishedException e) {
      audit(caller, "ModifyCurtailmentEvent", subject, "FAILED_PRECONDITION", e.getMessage());
      responses.onError(
          Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
    } catch (InvalidEventException e) {
      audit(caller, "ModifyCurtailmentEvent", subject, "INVALID_ARGUMENT", e.getMessage());
      responses.onError(invalid(e.getMessage()));
    }
  }

  @Override
  public void getComplianceReport(
      GetComplianceReportRequest request, StreamObserver<ComplianceReport> responses) {
    if (request.getEventId().isBlank()) {
      responses.onError(invalid("event_id is required"));
      return;
    }
    if (reports == null) {
      responses.onError(
          Status.UNIMPLEMENTED
              .withDescription("compliance reports need a store")
              .asRuntimeException());
      return;
    }
    Optional<CurtailmentEvent> event = events.find(request.getEventId());
    if (event.isEmpty()) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("no curtailment event with id '" + request.getEventId() + "'")
              .asRuntimeException());
      return;
    }
    io.flexrig.controller.compliance.ComplianceReport report = reports.report(event.get());
    responses.onNext(
        ProtoMapping.complianceReport(
            report,
            request.getIncludeCsv() ? ComplianceCsv.render(report) : "",
            request.getIncludeSvg() ? ComplianceChart.render(report) : ""));
    responses.onCompleted();
  }

  private static void reply(
      CompletableFuture<CurtailmentEvent> future,
      StreamObserver<io.flexrig.proto.v1.CurtailmentEvent> responses) {
    future.whenComplete(
        (event, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof EventFinishedException finished) {
              responses.onError(
                  Status.FAILED_PRECONDITION
                      .withDescription(finished.getMessage())
                      .asRuntimeException());
              return;
            }
            if (cause instanceof InvalidEventException invalid) {
              responses.onError(invalid(invalid.getMessage()));
              return;
            }
            log.warn("Grid request failed", cause);
            responses.onError(
                Status.INTERNAL
                    .withDescription("event not stored")
                    .withCause(cause)
                    .asRuntimeException());
          } else {
            responses.onNext(ProtoMapping.event(event));
            responses.onCompleted();
          }
        });
  }

  /** A field longer than any real one; the reason, or null. */
  private static String tooLong(CreateCurtailmentEventRequest r) {
    if (r.getSiteId().length() > MAX_ID) {
      return "site_id longer than " + MAX_ID + " characters";
    }
    if (r.getRequestId().length() > MAX_ID) {
      return "request_id longer than " + MAX_ID + " characters";
    }
    if (r.getProgram().length() > MAX_ID) {
      return "program longer than " + MAX_ID + " characters";
    }
    double kw = r.hasReduceByKw() ? r.getReduceByKw() : r.getCapSiteKw();
    for (var step : r.getSetpointSchedule().getStepsList()) {
      kw = Math.max(kw, step.getKw());
    }
    return beyondAnySite(kw);
  }

  private static String beyondAnySite(double kw) {
    if (kw > MAX_SITE_KW) {
      return "a target of " + kw + " kW is beyond any site (at most " + MAX_SITE_KW + " kW)";
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= MAX_ID ? s : s.substring(0, MAX_ID) + "…";
  }

  private static RuntimeException invalid(String reason) {
    return Status.INVALID_ARGUMENT.withDescription(reason).asRuntimeException();
  }

  /** Ends open watches with UNAVAILABLE (so the server can drain) and stops the ticker. */
  @Override
  public void close() {
    for (Watch watch : List.copyOf(watches)) {
      watch.abort(Status.UNAVAILABLE.withDescription("controller shutting down"));
    }
    watchTicker.shutdownNow();
  }

  /**
   * One WatchEvent stream: a status now, on every change the runner reports, and every second while
   * the event is active; the latest status wins when the client is slow (a status is a snapshot, an
   * older one is worth nothing).
   */
  private final class Watch {
    private final String eventId;
    private final ServerCallStreamObserver<EventStatus> out;
    private boolean done; // guarded by this
    private AutoCloseable subscription;
    private ScheduledFuture<?> tick;

    Watch(String eventId, ServerCallStreamObserver<EventStatus> out) {
      this.eventId = eventId;
      this.out = out;
    }

    void start() {
      watches.add(this);
      out.setOnCancelHandler(this::stop);
      out.setOnReadyHandler(this::push);
      subscription = events.onChange(eventId, this::push);
      long period = WATCH_PERIOD.toMillis();
      tick = watchTicker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
      push();
    }

    private void tick() {
      push();
    }

    synchronized void push() {
      if (done) {
        return;
      }
      if (!out.isReady()) {
        return; // the ready handler pushes the then-current status
      }
      io.flexrig.controller.events.EventStatus status;
      try {
        status = events.status(eventId);
      } catch (UnknownEventException e) {
        out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
        stop();
        return;
      }
      out.onNext(ProtoMapping.status(status));
      if (status.event().state().finished()) {
        out.onCompleted();
        stop();
      }
    }

    synchronized void abort(Status status) {
      if (!done) {
        out.onError(status.asRuntimeException());
        stop();
      }
    }

    synchronized void stop() {
      done = true;
      watches.remove(this);
      if (tick != null) {
        tick.cancel(false);
      }
      if (subscription != null) {
        try {
          subscription.close();
        } catch (Exception e) {
          log.debug("Unsubscribe failed", e);
        }
      }
    }
  }
}
