package io.flexrig.agent.door;

import com.google.protobuf.Timestamp;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import io.flexrig.core.profile.TemperatureLimit;
import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.ArmFrequencyResponseRequest;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.DisarmFrequencyResponseRequest;
import io.flexrig.proto.v1.GetRigRequest;
import io.flexrig.proto.v1.GetSnapshotRequest;
import io.flexrig.proto.v1.ListActiveCommandsRequest;
import io.flexrig.proto.v1.ListActiveCommandsResponse;
import io.flexrig.proto.v1.Release;
import io.flexrig.proto.v1.ReleaseRequest;
import io.flexrig.proto.v1.RigDescription;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigLimits;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.proto.v1.SetPowerTargetRequest;
import io.flexrig.proto.v1.Sleep;
import io.flexrig.proto.v1.SleepRequest;
import io.flexrig.proto.v1.SwitchWorkloadRequest;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.proto.v1.Wake;
import io.flexrig.proto.v1.WakeRequest;
import io.flexrig.proto.v1.WatchTelemetryRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@code flexrig.v1.AgentService}: turns each call into the {@link Command} the controller would
 * send and hands it to the agent's one {@link CommandPath}. Only the request's shape is checked
 * here (so a malformed request changes nothing and is answered INVALID_ARGUMENT); validation of the
 * command itself, clamping, journal and execution are the executor's. A command the executor
 * rejects is answered INVALID_ARGUMENT with its reason as well.
 */
public final class AgentServiceImpl extends AgentServiceGrpc.AgentServiceImplBase {
  /** How long an unset {@code expires_at} of a wake or release gives the agent to execute it. */
  static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(1);

  private final RigDescription rig;
  private final Supplier<TelemetrySample> snapshot;
  private final TelemetryFeed feed;
  private final CommandPath commands;
  private final CommandLedger ledger;
  private final Clock clock;

  /**
   * @param snapshot the rig's current sample when the feed has none yet
   */
  public AgentServiceImpl(
      RigDescription rig,
      Supplier<TelemetrySample> snapshot,
      TelemetryFeed feed,
      CommandPath commands,
      CommandLedger ledger,
      Clock clock) {
    this.rig = rig;
    this.snapshot = snapshot;
    this.feed = feed;
    this.commands = commands;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The rig as {@code GetRig} describes it, from its identity and hardware profile. */
  public static RigDescription describe(
      RigIdentity identity, String agentVersion, HardwareProfile profile, Instant startedAt) {
    Limits l = profile.limits();
    RigLimits.Builder limits =
        RigLimits.newBuilder()
            .setMaxPowerW(l.maxPowerW())
            .setMinPowerTargetW(l.minPowerTargetW())
            .setSleepPowerW(l.sleepPowerW())
            .setMinFanRpm(l.minFanRpm())
            .setRampWPerS(l.rampWPerS())
            .setMinOffS(l.minOffS())
            .setMinOnS(l.minOnS());
    TemperatureLimit chip = l.chipTempC();
    if (chip != null) {
      limits.setChipTempDerateC(chip.derateC()).setChipTempCriticalC(chip.criticalC());
    }
    TemperatureLimit board = l.boardTempC();
    if (board != null) {
      limits.setBoardTempDerateC(board.derateC()).setBoardTempCriticalC(board.criticalC());
    }
    TemperatureLimit inlet = l.inletTempC();
    if (inlet != null) {
      limits.setInletTempDerateC(inlet.derateC()).setInletTempCriticalC(inlet.criticalC());
    }
    return RigDescription.newBuilder()
        .setRig(identity)
        .setAgentVersion(agentVersion)
        .setNameplate(FleetMessages.nameplate(profile))
        .setLimits(limits)
        .addAllCapabilities(FleetMessages.capabilities(profile))
        .setAgentStartedAt(FleetMessages.timestamp(startedAt))
        .build();
  }

  @Override
  public void getRig(GetRigRequest request, StreamObserver<RigDescription> response) {
    response.onNext(rig);
    response.onCompleted();
  }

  @Override
  public void getSnapshot(GetSnapshotRequest request, StreamObserver<TelemetrySample> response) {
    TelemetrySample s = feed.latest();
    response.onNext(s != null ? s : snapshot.get());
    response.onCompleted();
  }

  @Override
  public void watchTelemetry(
      WatchTelemetryRequest request, StreamObserver<TelemetrySample> response) {
    feed.watch(response, request.getMaxSamples());
  }

  @Override
  public void setPowerTarget(SetPowerTargetRequest r, StreamObserver<CommandAck> response) {
    double w = r.getPowerW();
    if (!Double.isFinite(w) || w <= 0) {
      invalid(response, "power_w must be a positive number of watts, got " + w);
      return;
    }
    Command.Builder c =
        curtailment(
            r.getCommandId(),
            r.getEventId(),
            r.hasDeadline(),
            r.getDeadline(),
            r.hasExpiresAt(),
            r.getExpiresAt(),
            response);
    if (c != null) {
      submit(c.setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(w)).build(), response);
    }
  }

  @Override
  public void sleep(SleepRequest r, StreamObserver<CommandAck> response) {
    Command.Builder c =
        curtailment(
            r.getCommandId(),
            r.getEventId(),
            r.hasDeadline(),
            r.getDeadline(),
            r.hasExpiresAt(),
            r.getExpiresAt(),
            response);
    if (c != null) {
      submit(c.setSleep(Sleep.getDefaultInstance()).build(), response);
    }
  }

  @Override
  public void wake(WakeRequest r, StreamObserver<CommandAck> response) {
    Command.Builder c = restoring(r.getCommandId(), r.hasExpiresAt(), r.getExpiresAt(), response);
    if (c != null) {
      submit(c.setWake(Wake.getDefaultInstance()).build(), response);
    }
  }

  @Override
  public void release(ReleaseRequest r, StreamObserver<CommandAck> response) {
    Command.Builder c = restoring(r.getCommandId(), r.hasExpiresAt(), r.getExpiresAt(), response);
    if (c != null) {
      submit(c.setRelease(Release.getDefaultInstance()).build(), response);
    }
  }

  @Override
  public void switchWorkload(SwitchWorkloadRequest r, StreamObserver<CommandAck> response) {
    if (r.getWorkload().isBlank()) {
      invalid(response, "workload missing");
      return;
    }
    Command.Builder c = restoring(r.getCommandId(), r.hasExpiresAt(), r.getExpiresAt(), response);
    if (c != null) {
      submit(
          c.setSwitchWorkload(
                  io.flexrig.proto.v1.SwitchWorkload.newBuilder().setWorkload(r.getWorkload()))
              .build(),
          response);
    }
  }

  @Override
  public void armFrequencyResponse(
      ArmFrequencyResponseRequest r, StreamObserver<CommandAck> response) {
    arming(r.getCommandId(), true, r.getProgram(), response);
  }

  @Override
  public void disarmFrequencyResponse(
      DisarmFrequencyResponseRequest r, StreamObserver<CommandAck> response) {
    arming(r.getCommandId(), false, r.getProgram(), response);
  }

  private void arming(
      String commandId, boolean armed, String program, StreamObserver<CommandAck> response) {
    if (armed && program.isBlank()) {
      invalid(response, "program missing (e.g. ERCOT-FFR)");
      return;
    }
    Instant now = clock.instant();
    // arming holds nothing; the expiry only keeps the ledger's view of it bounded
    submit(
        base(commandId, now)
            .setExpiresAt(FleetMessages.timestamp(now.plus(DEFAULT_EXPIRY)))
            .setArmFrequencyResponse(
                io.flexrig.proto.v1.ArmFrequencyResponse.newBuilder()
                    .setArmed(armed)
                    .setProgram(program))
            .build(),
        response);
  }

  @Override
  public void listActiveCommands(
      ListActiveCommandsRequest request, StreamObserver<ListActiveCommandsResponse> response) {
    response.onNext(ledger.list());
    response.onCompleted();
  }

  private Command.Builder curtailment(
      String commandId,
      String eventId,
      boolean hasDeadline,
      Timestamp deadline,
      boolean hasExpiry,
      Timestamp expiresAt,
      StreamObserver<CommandAck> response) {
    Instant now = clock.instant();
    Instant due = FleetMessages.instantOrNull(hasDeadline, deadline);
    Instant expires = FleetMessages.instantOrNull(hasExpiry, expiresAt);
    if (due == null) {
      invalid(response, "deadline missing");
      return null;
    }
    if (expires == null) {
      invalid(response, "expires_at missing");
      return null;
    }
    if (due.isAfter(expires)) {
      invalid(response, "deadline " + due + " is after expires_at " + expires);
      return null;
    }
    if (!expires.isAfter(now)) {
      invalid(response, "expired at " + expires + " (received " + now + ")");
      return null;
    }
    return base(commandId, now).setEventId(eventId).setDeadline(deadline).setExpiresAt(expiresAt);
  }

  private Command.Builder restoring(
      String commandId,
      boolean hasExpiry,
      Timestamp expiresAt,
      StreamObserver<CommandAck> response) {
    Instant now = clock.instant();
    Instant expires = FleetMessages.instantOrNull(hasExpiry, expiresAt);
    if (expires != null && !expires.isAfter(now)) {
      invalid(response, "expired at " + expires + " (received " + now + ")");
      return null;
    }
    return base(commandId, now)
        .setExpiresAt(
            expires != null ? expiresAt : FleetMessages.timestamp(now.plus(DEFAULT_EXPIRY)));
  }

  private static Command.Builder base(String commandId, Instant now) {
    return Command.newBuilder()
        .setCommandId(commandId.isBlank() ? UUID.randomUUID().toString() : commandId)
        .setIssuedAt(FleetMessages.timestamp(now));
  }

  private void submit(Command command, StreamObserver<CommandAck> response) {
    commands
        .execute(command, CommandLedger.AGENT_API)
        .whenComplete(
            (ack, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException ? failure.getCause() : failure;
                response.onError(
                    Status.UNAVAILABLE
                        .withDescription(
                            "the agent cannot take commands now: " + cause.getMessage())
                        .asRuntimeException());
              } else if (!ack.getAccepted()) {
                invalid(response, ack.getReason());
              } else {
                response.onNext(ack);
                response.onCompleted();
              }
            });
  }

  private static void invalid(StreamObserver<?> response, String reason) {
    response.onError(Status.INVALID_ARGUMENT.withDescription(reason).asRuntimeException());
  }
}
