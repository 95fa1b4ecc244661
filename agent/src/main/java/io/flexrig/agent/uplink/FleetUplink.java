package io.flexrig.agent.uplink;

import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.Reconnect;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's session with the fleet controller: one {@code FleetService.Connect} stream, dialled
 * out and re-dialled with exponential backoff and jitter when it breaks.
 *
 * <p>Every session starts with an {@link AgentHello}; after {@code HelloAccepted} the agent sends
 * what the controller has not stored ({@code stored_through_sequence}) from the outbox, then each
 * new sample. Control messages (command acks and results, alarms) go before telemetry. Sending uses
 * manual flow control: only while the stream is ready, resumed by its on-ready handler, so a slow
 * controller makes samples wait in the bounded outbox rather than in gRPC's buffers.
 *
 * <p>A {@code Reconnect} from the controller (it is shutting down) ends the session gracefully:
 * nothing more is sent, the stream is half-closed once every sample sent is acknowledged (or ends
 * when the controller ends it), and the next session opens after the given delay plus jitter, at
 * the given endpoints in turn (each tried once) and then at the configured target.
 *
 * <p>All stream operations run on one uplink thread; gRPC callbacks only hand work to it.
 */
public final class FleetUplink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetUplink.class);
  private static final int MAX_CONTROL_MESSAGES = 512;
  // Channels to endpoints a controller redirected us to; a few at most, the oldest closed first.
  private static final int MAX_REDIRECT_CHANNELS = 4;

  private final UplinkSettings settings;
  private final TelemetryOutbox outbox;
  private final Supplier<AgentHello> hello;
  private final Consumer<Command> commands;
  private final ScheduledExecutorService worker;
  private final ManagedChannel channel;
  private final FleetServiceGrpc.FleetServiceStub stub;
  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong redirects = new AtomicLong();
  private final AtomicLong droppedControl = new AtomicLong();

  // Touched only on the worker thread.
  private final ArrayDeque<AgentMessage> control = new ArrayDeque<>();
  // Endpoints of the last Reconnect not tried yet; the configured target when empty.
  private final ArrayDeque<String> redirectTo = new ArrayDeque<>();
  private final Map<String, ManagedChannel> redirectChannels = new LinkedHashMap<>();
  private Session current;
  private long backoffMillis;
  private boolean closed;
  private volatile boolean accepted;
  private volatile Consumer<Instant> controllerTime = t -> {};

  /**
   * @param hello builds this rig's hello; the uplink fills in {@code last_sequence}
   * @param commands receives the controller's commands on the uplink thread; must not block
   */
  public FleetUplink(
      UplinkSettings settings,
      TelemetryOutbox outbox,
      Supplier<AgentHello> hello,
      Consumer<Command> commands) {
    this.settings = settings;
    this.outbox = outbox;
    this.hello = hello;
    this.commands = commands;
    this.backoffMillis = settings.initialBackoff().toMillis();
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "uplink");
              t.setDaemon(true);
              return t;
            });
    this.channel = newChannel(settings.target());
    this.stub = FleetServiceGrpc.newStub(channel);
  }

  /**
   * Hears the controller's clock from each accepted hello (e.g. to align the agent's clock, since
   * commands are timed in the controller's clock). Called on the uplink thread; must not block.
   */
  public void onControllerTime(Consumer<Instant> listener) {
    this.controllerTime = listener;
  }

  private ManagedChannel newChannel(String target) {
    return Grpc.newChannelBuilder(
            target,
            settings.plaintext()
                ? InsecureChannelCredentials.create()
                : settings.tls().credentials())
        // The stream's callbacks only hand work to the uplink thread (see Session), so they run
        // on the transport's event loop: no hop through gRPC's default executor (one wake-up of
        // one more thread per message received; bench/README.md 3e).
        .directExecutor()
        .keepAliveTime(settings.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .maxInboundMessageSize(1 << 20)
        .build();
  }

  /** The stub for a target: the configured one, or a channel made for a redirect. */
  private FleetServiceGrpc.FleetServiceStub stubFor(String target) {
    if (target.equals(settings.target())) {
      return stub;
    }
    ManagedChannel c = redirectChannels.remove(target);
    if (c == null) {
      c = newChannel(target);
    }
    redirectChannels.put(target, c); // most recently used last
    while (redirectChannels.size() > MAX_REDIRECT_CHANNELS) {
      String oldest = redirectChannels.keySet().iterator().next();
      redirectChannels.remove(oldest).shutdown();
    }
    return FleetServiceGrpc.newStub(c);
  }

  public void start() {
    worker.execute(this::connect);
  }

  /** True while a session is open and the controller accepted this rig's hello. */
  public boolean connected() {
    return accepted;
  }

  /** Sessions opened since start (1 + reconnects). */
  public long sessions() {
    return sessions.get();
  }

  /** Reconnect requests received from controllers (graceful shutdowns, redirects). */
  public long reconnectRequests() {
    return redirects.get();
  }

  /** Control messages dropped because too many waited for a session. */
  public long droppedControlMessages() {
    return droppedControl.get();
  }

  /** A new sample is in the outbox: send it if the stream can take it. */
  public void samplesAvailable() {
    execute(this::drain);
  }

  public void send(io.flexrig.proto.v1.CommandAck ack) {
    enqueue(AgentMessage.newBuilder().setCommandAck(ack).build());
  }

  public void send(io.flexrig.proto.v1.CommandResult result) {
    enqueue(AgentMessage.newBuilder().setCommandResult(result).build());
  }

  public void send(Alarm alarm) {
    // Kept on the uplink thread, right before it is queued: every sample numbered after this point
    // is sent after the alarm, which is what lets a telemetry ack release it.
    execute(
        () -> {
          try {
            outbox.keepAlarm(alarm);
          } catch (RuntimeException e) {
            log.warn("alarm {} not kept durably: {}", alarm.getAlarmId(), e.toString());
          }
        });
    enqueue(AgentMessage.newBuilder().setAlarm(alarm).build());
  }

  // Alarms the outbox still keeps may have died with the previous session: send them again first
  // (the controller stores an alarm id once), unless they are still waiting in the queue anyway.
  private void resendPendingAlarms() {
    List<Alarm> pending = outbox.pendingAlarms();
    if (pending.isEmpty()) {
      return;
    }
    Set<String> queued = new HashSet<>();
    for (AgentMessage m : control) {
      if (m.hasAlarm()) {
        queued.add(m.getAlarm().getAlarmId());
      }
    }
    for (int i = pending.size() - 1; i >= 0; i--) {
      if (!queued.contains(pending.get(i).getAlarmId())) {
        control.addFirst(AgentMessage.newBuilder().setAlarm(pending.get(i)).build());
      }
    }
  }

  private void enqueue(AgentMessage m) {
    execute(
        () -> {
          if (control.size() >= MAX_CONTROL_MESSAGES) {
            control.removeFirst();
            droppedControl.incrementAndGet();
          }
          control.addLast(m);
          drain();
        });
  }

  private void execute(Runnable r) {
    try {
      worker.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    String target = redirectTo.isEmpty() ? settings.target() : redirectTo.pollFirst();
    Session s = new Session(target);
    current = s;
    accepted = false;
    sessions.incrementAndGet();
    stubFor(target).connect(s);
    AgentHello h = hello.get().toBuilder().setLastSequence(outbox.lastSequence()).build();
    s.requests.onNext(AgentMessage.newBuilder().setHello(h).build());
    log.debug("session {} opened to {}", sessions.get(), target);
  }

  private void onMessage(Session s, ControllerMessage m) {
    if (s != current) {
      return;
    }
    switch (m.getBodyCase()) {
      case HELLO_ACCEPTED -> {
        long stored = m.getHelloAccepted().getStoredThroughSequence();
        if (stored > outbox.lastSequence()) {
          log.warn(
              "controller stored through {} but this agent numbered only {}; continuing after it",
              stored,
              outbox.lastSequence());
          outbox.continueAfter(stored);
        }
        outbox.ackThrough(stored);
        resendPendingAlarms();
        warnOnClockSkew(m.getHelloAccepted().getControllerTime());
        if (m.getHelloAccepted().hasControllerTime()) {
          controllerTime.accept(
              FleetMessages.instantOrNull(true, m.getHelloAccepted().getControllerTime()));
        }
        s.sentThrough = stored;
        s.ackedThrough = stored;
        s.accepted = true;
        accepted = true;
        backoffMillis = settings.initialBackoff().toMillis();
        log.info(
            "controller {} accepted the hello; it stored through {}, outbox holds {}",
            s.target,
            stored,
            outbox.size());
        drain();
      }
      case TELEMETRY_ACK -> {
        long acked = m.getTelemetryAck().getAckedThroughSequence();
        outbox.ackThrough(acked);
        s.ackedThrough = Math.max(s.ackedThrough, acked);
        leaveWhenAcknowledged(s);
      }
      case RECONNECT -> {
        if (s.leaving == null) {
          s.leaving = m.getReconnect();
          redirects.incrementAndGet();
          log.info(
              "controller {} asks this agent to reconnect{} ({})",
              s.target,
              s.leaving.getEndpointsCount() == 0
                  ? ""
                  : " to " + String.join(", ", s.leaving.getEndpointsList()),
              s.leaving.getReason());
          leaveWhenAcknowledged(s);
        }
      }
      case COMMAND -> {
        try {
          commands.accept(m.getCommand());
        } catch (RuntimeException e) {
          log.error("command handler failed for {}", m.getCommand().getCommandId(), e);
        }
      }
      case BODY_NOT_SET -> log.debug("empty message from the controller");
    }
  }

  /** Samples and commands carry agent timestamps; a skewed clock misdates both. */
  private void warnOnClockSkew(com.google.protobuf.Timestamp controllerTime) {
    if (controllerTime.getSeconds() == 0) {
      return;
    }
    long skewMillis =
        System.currentTimeMillis()
            - (controllerTime.getSeconds() * 1000 + controllerTime.getNanos() / 1_000_000);
    if (Math.abs(skewMillis) > 2000) {
      log.warn(
          "agent clock differs from the controller's by {} ms; check NTP on this board",
          skewMillis);
    }
  }

  /**
   * A leaving session half-closes once the controller acknowledged every sample sent on it, so the
   * controller can end the stream knowing nothing is in flight.
   */
  private void leaveWhenAcknowledged(Session s) {
    if (s.leaving == null || s.halfClosed || s.ackedThrough < s.sentThrough) {
      return;
    }
    s.halfClosed = true;
    try {
      s.requests.onCompleted();
    } catch (RuntimeException e) {
      log.debug("half-closing the stream failed: {}", e.toString());
    }
  }

  private void drain() {
    Session s = current;
    if (s == null || !s.accepted || s.requests == null || s.leaving != null) {
      return;
    }
    while (s.requests.isReady()) {
      AgentMessage next = control.pollFirst();
      if (next == null) {
        List<TelemetrySample> batch = outbox.after(s.sentThrough, settings.maxBatch());
        if (batch.isEmpty()) {
          return;
        }
        next =
            AgentMessage.newBuilder()
                .setTelemetry(TelemetryBatch.newBuilder().addAllSamples(batch))
                .build();
        s.sentThrough = batch.getLast().getSequence();
      }
      s.requests.onNext(next);
    }
  }

  private void onLost(Session s, Throwable t) {
    if (s != current || closed) {
      return;
    }
    current = null;
    accepted = false;
    if (s.leaving != null) {
      // Asked to leave: the controller chose when and where; no failure to back off from.
      Reconnect r = s.leaving;
      redirectTo.clear();
      redirectTo.addAll(r.getEndpointsList());
      backoffMillis = settings.initialBackoff().toMillis();
      long delay =
          r.getDelayMs()
              + (r.getJitterMs() == 0
                  ? 0
                  : ThreadLocalRandom.current().nextLong(r.getJitterMs() + 1L));
      log.info(
          "left controller {} as asked; connecting to {} in {} ms",
          s.target,
          redirectTo.isEmpty() ? settings.target() : redirectTo.peekFirst(),
          delay);
      worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
      return;
    }
    long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
    backoffMillis = Math.min(settings.maxBackoff().toMillis(), backoffMillis * 2);
    Status status = t == null ? Status.OK : Status.fromThrowable(t);
    // One warning per outage; the retries that follow are only worth a debug line.
    if (s.accepted || sessions.get() == 1) {
      log.warn(
          "session with {} ended ({} {}); reconnecting in {} ms",
          s.target,
          status.getCode(),
          status.getDescription(),
          delay);
    } else {
      log.debug(
          "controller {} still unreachable ({}); next attempt in {} ms",
          settings.target(),
          status.getCode(),
          delay);
    }
    worker.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      worker
          .submit(
              () -> {
                closed = true;
                accepted = false;
                Session s = current;
                current = null;
                if (s != null && s.requests != null && !s.halfClosed) {
                  try {
                    s.requests.onCompleted();
                  } catch (RuntimeException e) {
                    log.debug("completing the stream failed: {}", e.toString());
                  }
                }
              })
          .get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing the uplink: {}", e.toString());
    }
    worker.shutdownNow();
    for (ManagedChannel c : redirectChannels.values()) {
      c.shutdownNow();
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One Connect stream; callbacks hand everything to the uplink thread. */
  private final class Session implements ClientResponseObserver<AgentMessage, ControllerMessage> {
    final String target;
    ClientCallStreamObserver<AgentMessage> requests;
    boolean accepted;
    long sentThrough;
    long ackedThrough;
    // Set when the controller asked this session to end; nothing more is sent on it.
    Reconnect leaving;
    boolean halfClosed;

    Session(String target) {
      this.target = target;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(() -> execute(FleetUplink.this::drain));
    }

    @Override
    public void onNext(ControllerMessage value) {
      execute(() -> onMessage(this, value));
    }

    @Override
    public void onError(Throwable t) {
      execute(() -> onLost(this, t));
    }

    @Override
    public void onCompleted() {
      execute(() -> onLost(this, null));
    }
  }
}
