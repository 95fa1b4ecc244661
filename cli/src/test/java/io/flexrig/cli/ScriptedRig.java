package io.flexrig.cli;

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
import io.flexrig.proto.v1.Nameplate;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A protocol peer for tests: an ASIC rig speaking FleetService.Connect over a real socket. It
 * streams its power every 200 ms, follows power targets and sleep at once and acks every command.
 * Not the real agent.
 */
final class ScriptedRig implements AutoCloseable {

  private final double normalW;
  private final ManagedChannel channel;
  private final StreamObserver<AgentMessage> up;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("test-rig").daemon(true).factory());
  private volatile double powerW;
  private volatile RigState state = RigState.RIG_STATE_RUNNING;
  private long sequence; // touched by the ticker thread only
  private boolean closed; // guarded by this

  ScriptedRig(int controllerPort, String siteId, String rigId, double normalW) {
    this(controllerPort, siteId, rigId, normalW, "test-asic");
  }

  ScriptedRig(
      int controllerPort, String siteId, String rigId, double normalW, String hardwareProfileId) {
    this.normalW = normalW;
    this.powerW = normalW;
    this.channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controllerPort, InsecureChannelCredentials.create())
            .build();
    this.up = FleetServiceGrpc.newStub(channel).connect(new Down());
    send(AgentMessage.newBuilder().setHello(hello(siteId, rigId, hardwareProfileId)).build());
    ticker.scheduleAtFixedRate(this::sample, 0, 200, TimeUnit.MILLISECONDS);
  }

  private AgentHello hello(String siteId, String rigId, String hardwareProfileId) {
    return AgentHello.newBuilder()
        .setRig(
            RigIdentity.newBuilder()
                .setRigId(rigId)
                .setSiteId(siteId)
                .setHardwareProfileId(hardwareProfileId))
        .setAgentVersion("test")
        .addCapabilities(
            Capability.newBuilder()
                .setMethod(CurtailmentMethod.CURTAILMENT_METHOD_POWER_TARGET)
                .setMinPowerW(normalW * 0.4)
                .setMaxPowerW(normalW)
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
                .setHashrateThs(normalW / 20)
                .setEfficiencyJPerTh(20)
                .setSleepPowerW(20)
                .setRampWPerS(1000))
        .setAgentStartedAt(now())
        .build();
  }

  private void sample() {
    send(
        AgentMessage.newBuilder()
            .setTelemetry(
                TelemetryBatch.newBuilder()
                    .addSamples(
                        TelemetrySample.newBuilder()
                            .setSequence(++sequence)
                            .setSampledAt(now())
                            .setPowerW(powerW)
                            .setPowerQuality(Quality.QUALITY_GOOD)
                            .setState(state)))
            .build());
  }

  private void follow(Command c) {
    double applied = 0;
    switch (c.getActionCase()) {
      case SET_POWER_TARGET -> {
        applied = Math.min(normalW, c.getSetPowerTarget().getPowerW());
        powerW = applied;
        state = RigState.RIG_STATE_CURTAILED;
      }
      case SLEEP -> {
        powerW = 20;
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
                    .setObservedAt(now()))
            .build());
  }

  private synchronized void send(AgentMessage m) {
    if (!closed) {
      up.onNext(m);
    }
  }

  private static Timestamp now() {
    Instant t = Instant.now();
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private final class Down implements StreamObserver<ControllerMessage> {
    @Override
    public void onNext(ControllerMessage m) {
      if (m.hasCommand()) {
        follow(m.getCommand());
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (ScriptedRig.this) {
        closed = true;
      }
    }

    @Override
    public void onCompleted() {
      synchronized (ScriptedRig.this) {
        closed = true;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    synchronized (this) {
      if (!closed) {
        closed = true;
        up.onCompleted();
      }
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
