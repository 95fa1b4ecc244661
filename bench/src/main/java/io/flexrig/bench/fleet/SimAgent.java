package io.flexrig.bench.fleet;

import com.google.protobuf.Timestamp;
import io.flexrig.bench.dispatch.MixedFleet;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.Capability;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.ControllerMessage;
import io.flexrig.proto.v1.CurtailmentMethod;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.Nameplate;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One simulated agent: a single FleetService.Connect stream speaking the real protocol (hello,
 * sequence-numbered telemetry batches, command acks) with no sources behind it. Thousands of them
 * share a handful of channels and the channels' event-loop threads; nothing here blocks.
 */
final class SimAgent implements ClientResponseObserver<AgentMessage, ControllerMessage> {

  /** How the agent sends telemetry. */
  enum Mode {
    /** Nothing unless asked. */
    IDLE,
    /** Keep {@code window} batches in flight, sending the next as soon as one is acked. */
    SATURATE,
    /** One sample per {@link #tick()}, the way a real agent sends at its telemetry interval. */
    PERIODIC
  }

  private final int index;
  private final String siteId;
  private final MixedFleet.Rig rig;
  private final FleetLoadProbe probe;
  private final List<Reading> readings;
  private ClientCallStreamObserver<AgentMessage> out;
  // Guarded by this: gRPC's request observer is not thread-safe, and the timer thread and the
  // event loop both send.
  private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
  private long nextSequence = 1;
  private double powerW;
  private double powerTargetW;
  private RigState state = RigState.RIG_STATE_RUNNING;
  // A command's effect on the measured power, due once the knob's latency has passed (as a real
  // rig ramps after it acknowledged). Guarded by this.
  private double pendingW = Double.NaN;
  private RigState pendingState;
  private long pendingAtNanos;
  private double latencyScale = 1;
  private boolean open;
  private boolean closed;

  /**
   * @param readingCount named readings per sample (0 to 6): a real agent sends six with the demo
   *     profile; fewer make a lighter load generator for very large fleets
   */
  SimAgent(int index, String siteId, MixedFleet.Rig rig, FleetLoadProbe probe, int readingCount) {
    this.index = index;
    this.siteId = siteId;
    this.rig = rig;
    this.probe = probe;
    this.powerW = rig.measuredW();
    Timestamp t = now();
    this.readings =
        List.of(
                reading("outlet_power", powerW, "W", t),
                reading("dc_power", powerW * 0.94, "W", t),
                reading("grid_frequency", 60.0, "Hz", t),
                reading("miner.hashrate_5s", 100, "TH/s", t),
                reading("miner.chip_temp_max", 71, "C", t),
                reading("miner.fan1", 4200, "rpm", t))
            .subList(0, Math.max(0, Math.min(6, readingCount)));
  }

  String rigId() {
    return rig.dispatch().rigId();
  }

  void connect(FleetServiceGrpc.FleetServiceStub stub) {
    stub.connect(this);
    send(AgentMessage.newBuilder().setHello(hello()).build());
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
    this.out = requestStream;
  }

  @Override
  public void onNext(ControllerMessage message) {
    switch (message.getBodyCase()) {
      case HELLO_ACCEPTED -> {
        synchronized (this) {
          open = true;
        }
        probe.helloAccepted();
        if (probe.mode() == Mode.SATURATE) {
          pump();
        }
      }
      case TELEMETRY_ACK -> acked(message.getTelemetryAck().getAckedThroughSequence());
      case COMMAND -> command(message.getCommand());
      case BODY_NOT_SET -> {}
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (this) {
      closed = true;
    }
    probe.streamFailed(rigId(), t);
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      closed = true;
    }
  }

  private void acked(long through) {
    long now = System.nanoTime();
    int samples = 0;
    synchronized (this) {
      while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= through) {
        long[] batch = inFlight.pollFirst();
        probe.ackLag(now - batch[1]);
        samples += (int) batch[2];
      }
    }
    probe.samplesAcked(samples);
    if (probe.mode() == Mode.SATURATE) {
      pump();
    }
  }

  /** Tops up the in-flight window with full batches (SATURATE mode). */
  void pump() {
    int batch = probe.batchSize();
    int window = probe.window();
    synchronized (this) {
      while (open && !closed && inFlight.size() < window && probe.mode() == Mode.SATURATE) {
        sendBatch(batch);
      }
    }
  }

  /** One sample now, unless too many are still unacknowledged (PERIODIC mode). */
  void tick() {
    synchronized (this) {
      if (!open || closed) {
        return;
      }
      if (inFlight.size() >= 8) {
        probe.tickSkipped();
        return;
      }
      sendBatch(1);
    }
  }

  // Caller holds the lock.
  private void applyDue(long nowNanos) {
    if (!Double.isNaN(pendingW) && nowNanos - pendingAtNanos >= 0) {
      powerW = pendingW;
      state = pendingState;
      pendingW = Double.NaN;
    }
  }

  /** True when the rig's last command has taken effect (no ramp pending). */
  synchronized boolean settled() {
    applyDue(System.nanoTime());
    return Double.isNaN(pendingW);
  }

  /** The power the rig draws now (its knob's latency after a command). */
  synchronized double powerW() {
    applyDue(System.nanoTime());
    return powerW;
  }

  // Caller holds the lock.
  private void sendBatch(int samples) {
    applyDue(System.nanoTime());
    Timestamp t = now();
    TelemetryBatch.Builder b = TelemetryBatch.newBuilder();
    for (int i = 0; i < samples; i++) {
      b.addSamples(
          TelemetrySample.newBuilder()
              .setSequence(nextSequence++)
              .setSampledAt(t)
              .setPowerW(powerW)
              .setPowerQuality(Quality.QUALITY_GOOD)
              .setHashrateThs(rig.profile().nameplate().hashrateThs() * powerW / nominalW())
              .setHashrateQuality(Quality.QUALITY_GOOD)
              .setChipTempMaxC(71)
              .setChipTempQuality(Quality.QUALITY_GOOD)
              .setState(state)
              .setPowerTargetW(powerTargetW)
              .setGridFrequencyHz(60.0)
              .setGridFrequencyQuality(Quality.QUALITY_GOOD)
              .addAllReadings(readings));
    }
    inFlight.addLast(new long[] {nextSequence - 1, System.nanoTime(), samples});
    out.onNext(AgentMessage.newBuilder().setTelemetry(b).build());
    probe.samplesSent(samples);
  }

  private void command(Command c) {
    long now = System.nanoTime();
    double applied = 0;
    synchronized (this) {
      applyDue(now);
      CurtailmentMethodKind knob = CurtailmentMethodKind.POWER_TARGET;
      switch (c.getActionCase()) {
        case SET_POWER_TARGET -> {
          applied = Math.min(nominalW(), c.getSetPowerTarget().getPowerW());
          powerTargetW = applied;
          pendingW = applied;
          pendingState = RigState.RIG_STATE_CURTAILED;
        }
        case SLEEP -> {
          knob = CurtailmentMethodKind.SLEEP;
          powerTargetW = 0;
          pendingW = rig.profile().limits().sleepPowerW();
          pendingState = RigState.RIG_STATE_SLEEPING;
        }
        case RELEASE, WAKE, ACTION_NOT_SET -> {
          powerTargetW = 0;
          pendingW = nominalW();
          pendingState = RigState.RIG_STATE_RUNNING;
        }
      }
      pendingAtNanos = now + (long) (latencyS(knob) * latencyScale * 1e9);
      if (closed) {
        return;
      }
      out.onNext(
          AgentMessage.newBuilder()
              .setCommandAck(
                  CommandAck.newBuilder()
                      .setCommandId(c.getCommandId())
                      .setAccepted(true)
                      .setAppliedPowerW(applied)
                      .setReceivedAt(now()))
              .build());
    }
    boolean curtail =
        c.getActionCase() == Command.ActionCase.SET_POWER_TARGET
            || c.getActionCase() == Command.ActionCase.SLEEP;
    probe.commandAcked(index, curtail, now);
  }

  private synchronized void send(AgentMessage m) {
    out.onNext(m);
  }

  synchronized void close() {
    if (!closed) {
      closed = true;
      out.onCompleted();
    }
  }

  /** Scales the profiles' knob latencies (tests shorten them; 1 is the profile's own). */
  synchronized void latencyScale(double scale) {
    latencyScale = scale;
  }

  /** The profile's latency of a knob; a GPU rig's power limit stands in for a power target. */
  private double latencyS(CurtailmentMethodKind knob) {
    double fallback = 0;
    for (var m : rig.profile().curtailment()) {
      if (m.method() == knob) {
        return m.latencyS();
      }
      if (m.method() == CurtailmentMethodKind.GPU_POWER_LIMIT) {
        fallback = m.latencyS();
      }
    }
    return fallback;
  }

  private double nominalW() {
    return rig.measuredW();
  }

  private AgentHello hello() {
    HardwareProfile p = rig.profile();
    AgentHello.Builder h =
        AgentHello.newBuilder()
            .setRig(
                RigIdentity.newBuilder()
                    .setRigId(rigId())
                    .setSiteId(siteId)
                    .setHardwareProfileId(p.id()))
            .setAgentVersion("fleet-load")
            .setNameplate(
                Nameplate.newBuilder()
                    .setPowerW(p.nameplate().powerW())
                    .setHashrateThs(p.nameplate().hashrateThs())
                    .setEfficiencyJPerTh(p.nameplate().efficiencyJPerTh())
                    .setSleepPowerW(p.limits().sleepPowerW())
                    .setRampWPerS(p.limits().rampWPerS()))
            .setAgentStartedAt(now())
            .setLastSequence(0);
    for (var c : p.curtailment()) {
      h.addCapabilities(
          Capability.newBuilder()
              .setMethod(CurtailmentMethod.valueOf("CURTAILMENT_METHOD_" + c.method().name()))
              .setMinPowerW(c.minPowerW())
              .setMaxPowerW(c.maxPowerW())
              .setLatencyS(c.latencyS()));
    }
    return h.build();
  }

  private static Reading reading(String name, double value, String unit, Timestamp at) {
    return Reading.newBuilder()
        .setName(name)
        .setValue(value)
        .setUnit(unit)
        .setQuality(Quality.QUALITY_GOOD)
        .setReadAt(at)
        .build();
  }

  private static Timestamp now() {
    long ms = System.currentTimeMillis();
    return Timestamp.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }
}
