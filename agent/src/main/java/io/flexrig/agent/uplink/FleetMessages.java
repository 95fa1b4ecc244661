package io.flexrig.agent.uplink;

import com.google.protobuf.Timestamp;
import io.flexrig.agent.control.CommandAck;
import io.flexrig.agent.control.CommandResult;
import io.flexrig.agent.control.CurtailmentCommand;
import io.flexrig.agent.control.RigMode;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.Capability;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CurtailmentMethod;
import io.flexrig.proto.v1.Nameplate;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetrySample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Translation between the agent's own types and the flexrig.v1 wire messages. */
public final class FleetMessages {
  private FleetMessages() {}

  public static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  /** A missing timestamp (all zero) becomes null, so the executor can reject it. */
  public static Instant instantOrNull(boolean present, Timestamp t) {
    if (!present || (t.getSeconds() == 0 && t.getNanos() == 0)) {
      return null;
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  public static CurtailmentCommand command(Command c) {
    CurtailmentCommand.Action action =
        switch (c.getActionCase()) {
          case SET_POWER_TARGET ->
              new CurtailmentCommand.SetPowerTarget(c.getSetPowerTarget().getPowerW());
          case SLEEP -> new CurtailmentCommand.Sleep();
          case WAKE -> new CurtailmentCommand.Wake();
          case RELEASE -> new CurtailmentCommand.Release();
          case ARM_FREQUENCY_RESPONSE ->
              new CurtailmentCommand.ArmFrequencyResponse(
                  c.getArmFrequencyResponse().getArmed(), c.getArmFrequencyResponse().getProgram());
          case SWITCH_WORKLOAD ->
              new CurtailmentCommand.SwitchWorkload(c.getSwitchWorkload().getWorkload());
          case ACTION_NOT_SET -> null;
        };
    return new CurtailmentCommand(
        c.getCommandId(),
        c.getEventId(),
        instantOrNull(c.hasIssuedAt(), c.getIssuedAt()),
        instantOrNull(c.hasDeadline(), c.getDeadline()),
        instantOrNull(c.hasExpiresAt(), c.getExpiresAt()),
        action);
  }

  public static io.flexrig.proto.v1.CommandAck ack(CommandAck a) {
    return io.flexrig.proto.v1.CommandAck.newBuilder()
        .setCommandId(a.commandId())
        .setAccepted(a.accepted())
        .setReason(a.reason())
        .setClamped(a.clamped())
        .setAppliedPowerW(a.appliedPowerW())
        .setReceivedAt(timestamp(a.receivedAt()))
        .build();
  }

  public static io.flexrig.proto.v1.CommandResult result(CommandResult r) {
    return io.flexrig.proto.v1.CommandResult.newBuilder()
        .setCommandId(r.commandId())
        .setOutcome(
            switch (r.outcome()) {
              case ACHIEVED -> CommandOutcome.COMMAND_OUTCOME_ACHIEVED;
              case ACHIEVED_LATE -> CommandOutcome.COMMAND_OUTCOME_ACHIEVED_LATE;
              case FAILED -> CommandOutcome.COMMAND_OUTCOME_FAILED;
              case SUPERSEDED -> CommandOutcome.COMMAND_OUTCOME_SUPERSEDED;
            })
        .setMeasuredPowerW(r.measuredPowerW())
        .setAppliedPowerW(r.appliedPowerW())
        .setObservedAt(timestamp(r.observedAt()))
        .setDetail(r.detail())
        .build();
  }

  public static io.flexrig.proto.v1.Quality quality(Quality q) {
    return switch (q) {
      case GOOD -> io.flexrig.proto.v1.Quality.QUALITY_GOOD;
      case UNCERTAIN -> io.flexrig.proto.v1.Quality.QUALITY_UNCERTAIN;
      case BAD -> io.flexrig.proto.v1.Quality.QUALITY_BAD;
    };
  }

  public static RigState state(RigMode mode) {
    return switch (mode) {
      case RUNNING -> RigState.RIG_STATE_RUNNING;
      case CURTAILED -> RigState.RIG_STATE_CURTAILED;
      case SLEEPING -> RigState.RIG_STATE_SLEEPING;
      case SAFETY_LIMITED -> RigState.RIG_STATE_SAFETY_LIMITED;
      case OFF -> RigState.RIG_STATE_OFF;
    };
  }

  /** A sample without its sequence (the outbox numbers it). */
  public static TelemetrySample sample(RigSnapshot s, RigMode mode, double powerTargetW) {
    TelemetrySample.Builder b =
        TelemetrySample.newBuilder()
            .setSampledAt(timestamp(s.sampledAt()))
            .setState(state(mode))
            .setPowerTargetW(powerTargetW);
    Measurement p = s.powerW();
    b.setPowerW(p.valueOr(0)).setPowerQuality(quality(p.quality()));
    b.setHashrateThs(s.hashrateThs().valueOr(0))
        .setHashrateQuality(quality(s.hashrateThs().quality()));
    b.setChipTempMaxC(s.chipTempMaxC().valueOr(0))
        .setChipTempQuality(quality(s.chipTempMaxC().quality()));
    b.setGridFrequencyHz(s.gridFrequencyHz().valueOr(0))
        .setGridFrequencyQuality(quality(s.gridFrequencyHz().quality()));
    for (io.flexrig.agent.source.Reading r : s.readings()) {
      b.addReadings(
          Reading.newBuilder()
              .setName(r.name())
              .setValue(Double.isFinite(r.value()) ? r.value() : 0)
              .setUnit(r.unit())
              .setQuality(quality(r.quality()))
              .setReadAt(timestamp(r.readAt())));
    }
    return b.build();
  }

  /** The curtailment methods of the profile, as announced in the hello. */
  public static List<Capability> capabilities(HardwareProfile profile) {
    List<Capability> out = new ArrayList<>();
    for (var c : profile.curtailment()) {
      out.add(
          Capability.newBuilder()
              .setMethod(
                  switch (c.method()) {
                    case POWER_TARGET -> CurtailmentMethod.CURTAILMENT_METHOD_POWER_TARGET;
                    case SLEEP -> CurtailmentMethod.CURTAILMENT_METHOD_SLEEP;
                    case RELAY_CUT -> CurtailmentMethod.CURTAILMENT_METHOD_RELAY_CUT;
                    case GPU_POWER_LIMIT -> CurtailmentMethod.CURTAILMENT_METHOD_GPU_POWER_LIMIT;
                    case SWITCH_WORKLOAD -> CurtailmentMethod.CURTAILMENT_METHOD_SWITCH_WORKLOAD;
                  })
              .setMinPowerW(c.minPowerW())
              .setMaxPowerW(c.maxPowerW())
              .setLatencyS(c.latencyS())
              .build());
    }
    return out;
  }

  public static Nameplate nameplate(HardwareProfile profile) {
    return Nameplate.newBuilder()
        .setPowerW(profile.nameplate().powerW())
        .setHashrateThs(profile.nameplate().hashrateThs())
        .setEfficiencyJPerTh(profile.nameplate().efficiencyJPerTh())
        .setSleepPowerW(profile.limits().sleepPowerW())
        .setRampWPerS(profile.limits().rampWPerS())
        .build();
  }
}
