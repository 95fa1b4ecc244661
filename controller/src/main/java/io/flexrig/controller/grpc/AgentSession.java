package io.flexrig.controller.grpc;

import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.controller.store.AlarmRow;
import io.flexrig.controller.store.CommandAckRow;
import io.flexrig.controller.store.CommandResultRow;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.controller.store.StoreWriter;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.HelloAccepted;
import io.flexrig.proto.v1.TelemetryAck;
import io.flexrig.proto.v1.TelemetryBatch;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's Connect stream.
 *
 * <p>Inbound: manual flow control. At most {@link #INBOUND_WINDOW} messages are in flight; a
 * telemetry batch holds its permit until its write committed, so an agent cannot outrun the disk;
 * when the store's telemetry queue is full the batch waits (in order, permit held) and is offered
 * again shortly, instead of ending the session. Nothing here touches the disk: writes go to the
 * store's writer thread, and the telemetry ack is queued from its commit callback (on the store's
 * commit thread, only after the transaction holding the samples committed).
 *
 * <p>Outbound: hello answer and commands wait in a bounded queue and are sent while the transport
 * is ready; telemetry acks are coalesced into one pending value (only the highest matters).
 */
final class AgentSession implements StreamObserver<AgentMessage> {

  static final int INBOUND_WINDOW = 8;
  static final int MAX_QUEUED_COMMANDS = 256;
  static final int STORE_FULL_RETRY_MS = 50;
  static final int STORE_FULL_RETRY_MAX_MS = 1_000;

  private enum Phase {
    AWAITING_HELLO,
    OPEN,
    CLOSED
  }

  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);

  private final ServerCallStreamObserver<ControllerMessage> out;
  private final FleetState fleet;
  private final ControllerStore store;
  private final SessionRegistry registry;
  private final Clock clock;
  private final Duration telemetryInterval;
  private final Caller caller;

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAITING_HELLO);
  private final Queue<ControllerMessage> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedCommands = new AtomicInteger();
  private final AtomicLong ackPending = new AtomicLong();
  // Every committed batch is answered (a resent duplicate too), but acks due while the transport
  // is busy collapse into one carrying the highest sequence.
  private final AtomicBoolean ackDue = new AtomicBoolean();
  private volatile String rigId;
  private volatile long fleetSession;
  // Set at hello, then touched only by the store's commit thread (commit callbacks, in order).
  private long storedThrough;
  // Telemetry batches not yet accepted by the store's queue, oldest first (guarded by itself).
  private final ArrayDeque<TelemetryWrite> unqueued = new ArrayDeque<>();
  private boolean queueing; // guarded by unqueued
  private long retryDelayMs; // touched only by the caller that set `queueing`

  AgentSession(
      ServerCallStreamObserver<ControllerMessage> out,
      FleetState fleet,
      ControllerStore store,
      SessionRegistry registry,
      Clock clock,
      Duration telemetryInterval,
      Caller caller) {
    this.out = out;
    this.caller = caller;
    this.fleet = fleet;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.telemetryInterval = telemetryInterval;
  }

  @Override
  public void onNext(AgentMessage message) {
    switch (phase.get()) {
      case AWAITING_HELLO -> {
        if (!message.hasHello()) {
          fail(
              Status.INVALID_ARGUMENT.withDescription(
                  "the first message of a session must be an AgentHello, got "
                      + message.getBodyCase()));
          return;
        }
        hello(message.getHello());
      }
      case OPEN -> {
        switch (message.getBodyCase()) {
          case HELLO ->
              fail(Status.INVALID_ARGUMENT.withDescription("AgentHello sent twice on a session"));
          case TELEMETRY -> telemetry(message.getTelemetry());
          case COMMAND_ACK -> commandAck(message.getCommandAck());
          case COMMAND_RESULT -> commandResult(message.getCommandResult());
          case ALARM -> alarm(message.getAlarm());
          case BODY_NOT_SET -> out.request(1);
        }
      }
      case CLOSED -> {
        // late message after we failed the call: drop
      }
    }
  }

  private void hello(AgentHello hello) {
    RigRegistration registration;
    try {
      registration = ProtoMapping.registration(hello);
    } catch (IllegalArgumentException e) {
      fail(Status.INVALID_ARGUMENT.withDescription("malformed AgentHello: " + e.getMessage()));
      return;
    }
    if (caller.role() == Role.AGENT && !caller.name().equals(registration.rigId())) {
      log.warn(
          "Certificate of rig '{}' sent a hello claiming rig '{}'",
          caller.name(),
          registration.rigId());
      fail(
          Status.PERMISSION_DENIED.withDescription(
              "this certificate belongs to rig '"
                  + caller.name()
                  + "'; the hello claims rig '"
                  + registration.rigId()
                  + "'"));
      return;
    }
    Status wrongSite = siteRefused(registration);
    if (wrongSite != null) {
      fail(wrongSite);
      return;
    }
    Instant now = clock.instant();
    rigId = registration.rigId();
    fleetSession = fleet.connected(registration);
    if (!phase.compareAndSet(Phase.AWAITING_HELLO, Phase.OPEN)) {
      fleet.disconnected(rigId, fleetSession);
      return;
    }
    AgentSession previous = registry.bind(rigId, this);
    if (previous != null && previous != this) {
      log.info("Rig {}: a new session replaces the previous one", rigId);
      previous.fail(Status.ABORTED.withDescription("replaced by a newer session of rig " + rigId));
    }
    store
        .saveRig(registration, now)
        .exceptionally(
            e -> {
              log.warn("Rig {}: registration not stored", registration.rigId(), e);
              return null;
            });
    long through = fleet.storedThrough(rigId);
    // Published to the writer thread by the queue hand-off of the first telemetry write.
    storedThrough = through;
    outbound.add(
        ControllerMessage.newBuilder()
            .setHelloAccepted(
                HelloAccepted.newBuilder()
                    .setStoredThroughSequence(through)
                    .setTelemetryIntervalMs((int) telemetryInterval.toMillis())
                    .setControllerTime(ProtoMapping.timestamp(now)))
            .build());
    log.info(
        "Rig {} of site {} connected (agent {}, profile {}, stored through {})",
        rigId,
        registration.siteId(),
        registration.agentVersion(),
        registration.hardwareProfileId(),
        through);
    ControllerMessage bye = registry.goingAway();
    if (bye != null) {
      outbound.add(bye); // accepted while the controller shuts down: leave at once
    }
    drain();
    out.request(INBOUND_WINDOW);
  }

  /**
   * An agent certificate names the rig's site (a {@code urn:flexrig:site:<id>} URI); a hello for
   * another site, or from a certificate naming none, is refused: a rig's key must not be able to
   * put it into another site's dispatch.
   */
  private Status siteRefused(RigRegistration registration) {
    if (caller.role() != Role.AGENT || caller.site().equals(registration.siteId())) {
      return null;
    }
    log.warn(
        "Certificate of rig '{}' (site '{}') sent a hello claiming site '{}'",
        caller.name(),
        caller.site(),
        registration.siteId());
    return Status.PERMISSION_DENIED.withDescription(
        caller.site().isEmpty()
            ? "this agent certificate names no site; the hello claims site '"
                + registration.siteId()
                + "' (issue it with: flexrig-pki.sh agent DIR RIG_ID SITE_ID)"
            : "this certificate belongs to site '"
                + caller.site()
                + "'; the hello claims site '"
                + registration.siteId()
                + "'");
  }

  /** Asks the agent to leave and reconnect (controller shutdown); the stream stays open. */
  void goAway(ControllerMessage reconnect) {
    if (phase.get() == Phase.OPEN) {
      outbound.add(reconnect);
      drain();
    }
  }

  private void telemetry(TelemetryBatch batch) {
    Instant now = clock.instant();
    Status refused = AgentInputRules.batch(batch, now);
    if (refused != null) {
      fail(refused);
      return;
    }
    List<RigSample> samples = new ArrayList<>(batch.getSamplesCount());
    long previous = 0;
    for (var s : batch.getSamplesList()) {
      if (s.getSequence() <= previous) {
        fail(
            Status.INVALID_ARGUMENT.withDescription(
                "telemetry sequences must be >= 1 and strictly increasing within a batch, got "
                    + s.getSequence()
                    + " after "
                    + previous));
        return;
      }
      previous = s.getSequence();
      samples.add(ProtoMapping.sample(s, now));
    }
    if (samples.isEmpty()) {
      out.request(1);
      return;
    }
    String rig = rigId;
    for (RigSample s : samples) {
      fleet.recordSample(rig, s);
    }
    TelemetryWrite write = new TelemetryWrite(rig, samples, samples.get(0).sequence(), previous);
    synchronized (unqueued) {
      unqueued.addLast(write);
      if (queueing) {
        return; // the batch ahead of it is waiting for room; this one goes after it
      }
      queueing = true;
    }
    queueUnqueued();
  }

  // Hands the waiting batches to the store in arrival order. Only one caller at a time (the one
  // that set `queueing`); when the store's bulk lane is full it hands itself to a timer, keeping
  // the batches' flow-control permits, so the agent slows down instead of being disconnected.
  private void queueUnqueued() {
    while (true) {
      TelemetryWrite w;
      synchronized (unqueued) {
        w = unqueued.peekFirst();
        if (w == null || phase.get() == Phase.CLOSED) {
          unqueued.clear(); // unacknowledged: the agent resends them on its next session
          queueing = false;
          return;
        }
      }
      CompletableFuture<Void> stored =
          store.writer().bulkFull() ? null : store.saveTelemetry(w.rig, w.samples);
      if (stored == null
          || (stored.isCompletedExceptionally()
              && stored.exceptionNow() instanceof StoreWriter.LaneFull)) {
        // Back off (doubling, with jitter) so 100,000 waiting sessions do not spin on the queue.
        retryDelayMs =
            Math.min(STORE_FULL_RETRY_MAX_MS, Math.max(STORE_FULL_RETRY_MS, 2 * retryDelayMs));
        CompletableFuture.delayedExecutor(
                retryDelayMs / 2 + ThreadLocalRandom.current().nextLong(retryDelayMs / 2 + 1),
                TimeUnit.MILLISECONDS)
            .execute(this::queueUnqueued);
        return;
      }
      retryDelayMs = 0;
      synchronized (unqueued) {
        unqueued.pollFirst();
      }
      stored.whenComplete(
          (ok, failure) -> {
            if (failure != null) {
              log.warn("Rig {}: telemetry {}..{} not stored", w.rig, w.first, w.last, failure);
              fail(
                  Status.UNAVAILABLE.withDescription(
                      "telemetry could not be stored; reconnect and resend"));
              return;
            }
            committed(w.rig, w.first, w.last);
            out.request(1);
          });
    }
  }

  private record TelemetryWrite(String rig, List<RigSample> samples, long first, long last) {}

  // Runs on the store's commit thread after commit, in submission order.
  private void committed(String rig, long first, long last) {
    if (first > storedThrough + 1) {
      // The agent replays its outbox in order after the hello, so what it skips it no longer has.
      log.warn(
          "Rig {}: telemetry {}..{} never arrived; the agent no longer has it",
          rig,
          storedThrough + 1,
          first - 1);
    }
    storedThrough = Math.max(storedThrough, last);
    fleet.advanceStoredThrough(rig, storedThrough);
    ackPending.accumulateAndGet(storedThrough, Math::max);
    ackDue.set(true);
    drain();
  }

  private void commandAck(CommandAck ack) {
    Status refused = AgentInputRules.ack(ack);
    if (refused != null) {
      fail(refused);
      return;
    }
    fleet.commandAcknowledged(rigId, ack.getCommandId(), ack.getAccepted());
    if (!ack.getAccepted()) {
      log.warn("Rig {} rejected command {}: {}", rigId, ack.getCommandId(), ack.getReason());
    }
    store.saveCommandAck(
        new CommandAckRow(
            rigId,
            ack.getCommandId(),
            ack.getAccepted(),
            ack.getReason(),
            ack.getClamped(),
            ack.getAppliedPowerW(),
            ack.hasReceivedAt() ? ProtoMapping.instant(ack.getReceivedAt()) : clock.instant()));
    out.request(1);
  }

  private void commandResult(CommandResult result) {
    Status refused = AgentInputRules.result(result);
    if (refused != null) {
      fail(refused);
      return;
    }
    fleet.commandOutcome(rigId, result.getCommandId(), result.getOutcome().name());
    if (result.getOutcome() == CommandOutcome.COMMAND_OUTCOME_FAILED) {
      log.warn(
          "Rig {} failed command {} at {} W: {}",
          rigId,
          result.getCommandId(),
          result.getMeasuredPowerW(),
          result.getDetail());
    }
    store.saveCommandResult(
        new CommandResultRow(
            result.getCommandId(),
            result.getOutcome().name(),
            result.getMeasuredPowerW(),
            result.getAppliedPowerW(),
            result.hasObservedAt() ? ProtoMapping.instant(result.getObservedAt()) : clock.instant(),
            result.getDetail()));
    out.request(1);
  }

  private void alarm(Alarm alarm) {
    Status refused = AgentInputRules.alarm(alarm);
    if (refused != null) {
      fail(refused);
      return;
    }
    Instant now = clock.instant();
    fleet.alarmRaised(rigId, alarm.getCode());
    log.info(
        "Rig {} alarm {} {}: {}", rigId, alarm.getSeverity(), alarm.getCode(), alarm.getMessage());
    if (!alarm.getAlarmId().isBlank()) {
      store.saveAlarm(
          new AlarmRow(
              alarm.getAlarmId(),
              rigId,
              alarm.getSeverity().name(),
              alarm.getCode(),
              alarm.getMessage(),
              alarm.hasRaisedAt() ? ProtoMapping.instant(alarm.getRaisedAt()) : now,
              now));
    }
    out.request(1);
  }

  /** Queues a command; false when the session is not open or its queue is full. */
  boolean sendCommand(Command command) {
    if (phase.get() != Phase.OPEN) {
      return false;
    }
    if (queuedCommands.incrementAndGet() > MAX_QUEUED_COMMANDS) {
      queuedCommands.decrementAndGet();
      log.warn("Rig {}: outbound command queue full, command {} dropped", rigId, command);
      return false;
    }
    outbound.add(ControllerMessage.newBuilder().setCommand(command).build());
    drain();
    return true;
  }

  /** Sends what is queued while the transport can take it; called again by the ready handler. */
  void drain() {
    synchronized (out) {
      while (phase.get() == Phase.OPEN && out.isReady()) {
        ControllerMessage next = outbound.poll();
        if (next != null) {
          if (next.hasCommand()) {
            queuedCommands.decrementAndGet();
          }
          out.onNext(next);
          continue;
        }
        if (ackDue.getAndSet(false)) {
          long ack = ackPending.get();
          out.onNext(
              ControllerMessage.newBuilder()
                  .setTelemetryAck(TelemetryAck.newBuilder().setAckedThroughSequence(ack))
                  .build());
          continue;
        }
        return;
      }
    }
  }

  /** Ends the call with an error status (malformed input, replaced, shutting down). */
  void fail(Status status) {
    if (closeOnce()) {
      if (status.getCode() != Status.Code.ABORTED) {
        log.info("Rig {} session closed: {}", rigId == null ? "?" : rigId, status);
      }
      synchronized (out) {
        out.onError(status.asRuntimeException());
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    if (closeOnce()) {
      log.info("Rig {} disconnected: {}", rigId == null ? "?" : rigId, Status.fromThrowable(t));
    }
  }

  @Override
  public void onCompleted() {
    if (closeOnce()) {
      log.info("Rig {} ended its session", rigId);
      synchronized (out) {
        out.onCompleted();
      }
    }
  }

  /** The transport cancelled the call (client gone, deadline, shutdown). */
  void cancelled() {
    closeOnce();
  }

  private boolean closeOnce() {
    Phase before = phase.getAndSet(Phase.CLOSED);
    if (before == Phase.CLOSED) {
      return false;
    }
    if (before == Phase.OPEN) {
      registry.unbind(rigId, this);
      fleet.disconnected(rigId, fleetSession);
    }
    return true;
  }
}
