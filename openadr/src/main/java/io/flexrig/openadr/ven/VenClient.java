package io.flexrig.openadr.ven;

import io.flexrig.openadr.EventCancelled;
import io.flexrig.openadr.EventRef;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.GridSignalListener;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.Notification;
import io.flexrig.openadr.model.ObjectOperation;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.Report;
import io.flexrig.openadr.model.ReportPayloadDescriptor;
import io.flexrig.openadr.model.ReportResource;
import io.flexrig.openadr.model.Subscription;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.model.Ven;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenADR 3.1.0 VEN: authenticates with client credentials, finds its programs by name,
 * registers itself, then follows the programs' events by polling (and, when a webhook address is
 * configured, by subscription notifications) and tells a {@link GridSignalListener} about each new,
 * changed, cancelled or deleted event exactly once. Also posts usage reports.
 *
 * <p>Lifecycle: {@link #start()} connects (throws {@link VtnException}; call again to retry),
 * polling then runs on one daemon thread until {@link #close()}. A failed poll is logged and
 * retried at the next tick. Events that have already ended are tracked but not announced.
 */
public final class VenClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VenClient.class);
  private static final String READING_TYPE = "AVERAGE";

  private final VenConfig config;
  private final GridSignalListener listener;
  private final Clock clock;
  private final HttpClient http;
  private final VtnApi api;
  private final EventInterpreter interpreter;
  private final ScheduledExecutorService thread;
  // Touched only on `thread`: polls and notifications are handled one at a time.
  private final EventTracker tracker = new EventTracker();
  private final Set<String> announced = new HashSet<>();

  private volatile Map<String, Program> programsById = Map.of();
  private volatile Ven ven;
  private WebhookReceiver webhook;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private boolean started;

  public VenClient(VenConfig config, GridSignalListener listener) {
    this(config, listener, Clock.systemUTC());
  }

  public VenClient(VenConfig config, GridSignalListener listener, Clock clock) {
    this.config = config;
    this.listener = listener;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.api = new VtnApi(config, http, clock);
    this.interpreter = new EventInterpreter(config.simpleLevels());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("openadr-ven-" + config.venName()).unstarted(r));
  }

  /**
   * Connects: token, programs, ven registration, subscriptions, a first poll; then schedules
   * polling. Blocking; throws {@link VtnException} with the VTN's status and problem detail.
   */
  public synchronized void start() {
    if (started) {
      return;
    }
    api.authenticate();
    programsById = findPrograms();
    ven =
        api.venNamed(config.venName())
            .orElseGet(() -> api.createVen(Ven.request(config.venName())));
    log.info(
        "VEN {} registered as {} for programs {}",
        config.venName(),
        ven.id(),
        programsById.keySet());
    if (config.webhookAddress() != null) {
      subscribe();
    }
    pollNow();
    long every = config.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
    started = true;
  }

  /** Polls every program's events now and waits for the result (tests, manual refresh). */
  public void pollNow() {
    try {
      thread.submit(this::poll).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    }
  }

  /** This VEN's record on the VTN (after {@link #start()}). */
  public Ven ven() {
    return ven;
  }

  /** The followed programs (after {@link #start()}). */
  public List<Program> programs() {
    return List.copyOf(programsById.values());
  }

  /**
   * Posts a report of measured usage, baseline and their difference for {@code eventId}: one
   * resource ({@link VenConfig#resourceName()}), one report interval per entry, payloads USAGE,
   * BASELINE and DELTA_USAGE in kW.
   */
  public Report postUsageReport(String eventId, List<UsageInterval> intervals) {
    List<Interval> reportIntervals = new ArrayList<>();
    for (UsageInterval u : intervals) {
      reportIntervals.add(
          new Interval(
              u.intervalId(),
              IntervalPeriod.of(u.start().toString(), u.duration().toString()),
              List.of(
                  ValuesMap.of("USAGE", u.usageKw()),
                  ValuesMap.of("BASELINE", u.baselineKw()),
                  ValuesMap.of("DELTA_USAGE", u.deltaKw()))));
    }
    Report request =
        Report.request(
            eventId,
            config.venName(),
            "flexrig-usage-" + eventId,
            List.of(
                ReportPayloadDescriptor.of("USAGE", READING_TYPE, "KW"),
                ReportPayloadDescriptor.of("BASELINE", "ESTIMATED", "KW"),
                ReportPayloadDescriptor.of("DELTA_USAGE", READING_TYPE, "KW")),
            List.of(new ReportResource(config.resourceName(), null, reportIntervals)));
    return api.createReport(request);
  }

  private Map<String, Program> findPrograms() {
    Map<String, Program> byName = new LinkedHashMap<>();
    for (Program p : api.programs()) {
      byName.put(p.programName(), p);
    }
    Map<String, Program> byId = new LinkedHashMap<>();
    for (String name : config.programNames()) {
      Program program = byName.get(name);
      if (program == null) {
        throw new IllegalStateException(
            "VTN " + config.vtnUrl() + " has no program named '" + name + "' (or hides it)");
      }
      byId.put(program.id(), program);
    }
    return Map.copyOf(byId);
  }

  private void subscribe() {
    String bearer;
    if (webhook == null) {
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      bearer = HexFormat.of().formatHex(secret);
      try {
        webhook =
            new WebhookReceiver(
                config.webhookAddress(), bearer, n -> thread.execute(() -> onNotification(n)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + config.webhookAddress(), e);
      }
    } else {
      bearer = webhook.bearerToken();
    }
    for (String programId : programsById.keySet()) {
      if (subscriptions.stream().anyMatch(s -> programId.equals(s.programID()))) {
        continue; // subscribed by an earlier, partly failed start()
      }
      ObjectOperation events =
          new ObjectOperation(
              List.of("EVENT"),
              List.of("CREATE", "UPDATE", "DELETE"),
              webhook.callbackUrl().toString(),
              bearer);
      subscriptions.add(
          api.createSubscription(
              Subscription.request(config.venName(), programId, List.of(events))));
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      if (thread.isShutdown()) {
        return; // closed mid-request
      }
      log.warn("event poll failed, retrying in {}: {}", config.pollInterval(), e.getMessage());
    }
  }

  private void poll() {
    List<Event> changed = new ArrayList<>();
    List<Event> removed = new ArrayList<>();
    for (String programId : programsById.keySet()) {
      EventTracker.Diff diff = tracker.diff(programId, api.events(programId));
      changed.addAll(diff.changed());
      removed.addAll(diff.removed());
    }
    // The most important event first, so a controller acting in call order honours priority.
    changed.sort(
        Comparator.comparingInt(
            (Event e) -> e.priority() == null ? Integer.MAX_VALUE : e.priority()));
    changed.forEach(this::announce);
    removed.forEach(this::announceDeleted);
  }

  private void onNotification(Notification notification) {
    if (!"EVENT".equals(notification.objectType()) || notification.object() == null) {
      return;
    }
    Event event = OpenAdrJson.mapper().convertValue(notification.object(), Event.class);
    if (!programsById.containsKey(event.programID())) {
      return;
    }
    if ("DELETE".equals(notification.operation())) {
      tracker.forget(event.id()).ifPresent(this::announceDeleted);
    } else if (tracker.observe(event)) {
      announce(event);
    }
  }

  private void announce(Event event) {
    Instant now = clock.instant();
    Program program = programsById.get(event.programID());
    List<GridSignal> signals;
    try {
      signals = interpreter.interpret(event, program, now);
    } catch (RuntimeException e) {
      // A malformed event must not stall the poll; it is retried when the VTN modifies it.
      log.error("event {} cannot be read, ignored: {}", event.id(), e.getMessage());
      return;
    }
    boolean cancelled = signals.size() == 1 && signals.getFirst() instanceof EventCancelled;
    boolean over = !signals.isEmpty() && signals.stream().allMatch(s -> !s.end().isAfter(now));
    if ((over || cancelled) && !announced.contains(event.id())) {
      return; // the controller never heard of it and has nothing to do
    }
    if (cancelled) {
      announced.remove(event.id());
    } else {
      announced.add(event.id());
    }
    deliver(EventInterpreter.ref(event, program), signals);
  }

  private void announceDeleted(Event event) {
    if (!announced.remove(event.id())) {
      return;
    }
    EventRef ref = EventInterpreter.ref(event, programsById.get(event.programID()));
    deliver(ref, List.of(new EventCancelled(ref, EventCancelled.Reason.DELETED, clock.instant())));
  }

  private void deliver(EventRef ref, List<GridSignal> signals) {
    try {
      listener.onEvent(ref, signals);
    } catch (RuntimeException e) {
      log.error("grid signal listener failed on event {}", ref.eventId(), e);
    }
  }

  /** Stops polling, removes the subscriptions (best effort) and closes the webhook receiver. */
  @Override
  public synchronized void close() {
    thread.shutdownNow();
    for (Subscription s : subscriptions) {
      try {
        api.deleteSubscription(s.id());
      } catch (RuntimeException e) {
        log.debug("subscription {} not removed: {}", s.id(), e.getMessage());
      }
    }
    subscriptions.clear();
    if (webhook != null) {
      webhook.close();
    }
    http.close();
  }
}
