package io.flexrig.controller.grpc;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Capability;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.CurtailmentMethod;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.HelloAccepted;
import io.flexrig.proto.v1.Nameplate;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A protocol peer for tests: it speaks FleetService.Connect over a real socket, follows the
 * setpoints it receives instantly and reports them as its measured power. Not the real agent.
 */
final class ScriptedAgent implements AutoCloseable {

  final String rigId;
  final double normalW;
  final double sleepW;
  final List<Command> commands = new CopyOnWriteArrayList<>();
  final CompletableFuture<HelloAccepted> helloAccepted = new CompletableFuture<>();
  final CompletableFuture<Status> closed = new CompletableFuture<>();
  final AtomicLong ackedThrough = new AtomicLong();
  final CompletableFuture<io.flexrig.proto.v1.Reconnect> reconnect = new CompletableFuture<>();

  private final ManagedChannel channel;
  private final StreamObserver<AgentMessage> requests;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("scripted-agent").daemon(true).factory());
  private volatile double powerW;
  // A rig whose firmware ignores power targets (but still sleeps), for closed-loop tests.
  volatile boolean ignoresPowerTargets;
  // An agent too old to know Reconnect: it stays until the controller cuts it.
  volatile boolean ignoresReconnect;
  private volatile RigState state = RigState.RIG_STATE_RUNNING;
  private long nextSequence = 1; // guarded by this

  ScriptedAgent(int port, String rigId, double normalW, double sleepW) {
    this(port, InsecureChannelCredentials.create(), rigId, normalW, sleepW);
  }

  ScriptedAgent(
      int port, ChannelCredentials credentials, String rigId, double normalW, double sleepW) {
    this.rigId = rigId;
    this.normalW = normalW;
    this.sleepW = sleepW;
    this.powerW = normalW;
    this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
    this.requests = FleetServiceGrpc.newStub(channel).connect(new Inbound());
  }

  /** An ASIC miner: power-target knob down to {@code minTargetW} and a sleep knob. */
  static AgentHello asicHello(
      String rigId, String siteId, double normalW, double jPerTh, double minTargetW) {
    return AgentHello.newBuilder()
        .setRig(
            RigIdentity.newBuilder()
                .setRigId(rigId)
                .setSiteId(siteId)
                .setHardwareProfileId("antminer-test"))
        .setAgentVersion("scripted")
        .addCapabilities(
            Capability.newBuilder()
                .setMethod(CurtailmentMethod.CURTAILMENT_METHOD_POWER_TARGET)
                .setMinPowerW(minTargetW)
                .setMaxPowerW(normalW * 1.1)
                .setLatencyS(0.5))
        .addCapabilities(
            Capability.newBuilder()
                .setMethod(CurtailmentMethod.CURTAILMENT_METHOD_SLEEP)
                .setMinPowerW(20)
                .setMaxPowerW(20)
                .setLatencyS(1))
        .setNameplate(
            Nameplate.newBuilder()
                .setPowerW(normalW)
                .setHashrateThs(normalW / jPerTh)
                .setEfficiencyJPerTh(jPerTh)
                .setSleepPowerW(20)
                .setRampWPerS(500))
        .setAgentStartedAt(now())
        .build();
  }

  void hello(AgentHello hello) {
    send(AgentMessage.newBuilder().setHello(hello).build());
  }

  /** Sends one batch with the given sequences, all at the current power. */
  void sendSamples(long... sequences) {
    TelemetryBatch.Builder batch = TelemetryBatch.newBuilder();
    for (long seq : sequences) {
      batch.addSamples(sample(seq));
    }
    send(AgentMessage.newBuilder().setTelemetry(batch).build());
  }

  /** Sends a sample every {@code periodMs}, numbered on from 1. */
  void streamTelemetry(long periodMs) {
    ticker.scheduleAtFixedRate(
        () -> {
          long seq;
          synchronized (this) {
            seq = nextSequence++;
          }
          sendSamples(seq);
        },
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
  }

  double powerW() {
    return powerW;
  }

  synchronized void send(AgentMessage message) {
    if (!closed.isDone()) {
      requests.onNext(message);
    }
  }

  private TelemetrySample sample(long seq) {
    return TelemetrySample.newBuilder()
        .setSequence(seq)
        .setSampledAt(now())
        .setPowerW(powerW)
        .setPowerQuality(Quality.QUALITY_GOOD)
        .setHashrateThs(100)
        .setHashrateQuality(Quality.QUALITY_GOOD)
        .setChipTempMaxC(70)
        .setChipTempQuality(Quality.QUALITY_GOOD)
        .setState(state)
        .build();
  }

  private void follow(Command c) {
    double applied = 0;
    switch (c.getActionCase()) {
      case SET_POWER_TARGET -> {
        applied = Math.min(normalW, c.getSetPowerTarget().getPowerW());
        if (!ignoresPowerTargets) {
          powerW = applied;
          state = RigState.RIG_STATE_CURTAILED;
        }
      }
      case SLEEP -> {
        powerW = sleepW;
        state = RigState.RIG_STATE_SLEEPING;
      }
      case WAKE, RELEASE -> {
        powerW = normalW;
        state = RigState.RIG_STATE_RUNNING;
      }
      case ACTION_NOT_SET -> {
        return;
      }
    }
    send(
        AgentMessage.newBuilder()
            .setCommandAck(
                CommandAck.newBuilder()
                    .setCommandId(c.getCommandId())
                    .setAccepted(true)
                    .setAppliedPowerW(applied)
                    .setReceivedAt(now()))
            .build());
    send(
        AgentMessage.newBuilder()
            .setCommandResult(
                CommandResult.newBuilder()
                    .setCommandId(c.getCommandId())
                    .setOutcome(CommandOutcome.COMMAND_OUTCOME_ACHIEVED)
                    .setMeasuredPowerW(powerW)
                    .setAppliedPowerW(applied)
                    .setObservedAt(now())
                    .setDetail("scripted"))
            .build());
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  private final class Inbound implements StreamObserver<ControllerMessage> {
    @Override
    public void onNext(ControllerMessage m) {
      switch (m.getBodyCase()) {
        case HELLO_ACCEPTED -> helloAccepted.complete(m.getHelloAccepted());
        case TELEMETRY_ACK ->
            ackedThrough.accumulateAndGet(m.getTelemetryAck().getAckedThroughSequence(), Math::max);
        case COMMAND -> {
          commands.add(m.getCommand());
          follow(m.getCommand());
        }
        case RECONNECT -> {
          reconnect.complete(m.getReconnect());
          if (!ignoresReconnect) {
            leave();
          }
        }
        case BODY_NOT_SET -> {}
      }
    }

    @Override
    public void onError(Throwable t) {
      closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.complete(Status.OK);
    }
  }

  /** The highest sequence {@link #streamTelemetry} sent. */
  synchronized long streamedThrough() {
    return nextSequence - 1;
  }

  /** Half-closes the stream, as an agent leaving gracefully does; the channel stays. */
  synchronized void leave() {
    ticker.shutdownNow();
    requests.onCompleted();
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    synchronized (this) {
      if (!closed.isDone()) {
        requests.onCompleted();
      }
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
