package io.flexrig.controller.grpc;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventStatus;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.BaselineMethod;
import io.flexrig.proto.v1.Capability;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.ComplianceInterval;
import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.Release;
import io.flexrig.proto.v1.RigContribution;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.proto.v1.SetpointKind;
import io.flexrig.proto.v1.SetpointStep;
import io.flexrig.proto.v1.Sleep;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.proto.v1.Wake;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Translation between the flexrig.v1 wire types and the controller's domain types. */
final class ProtoMapping {

  private ProtoMapping() {}

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** Earliest and latest seconds a protobuf Timestamp may hold (0001-01-01, 9999-12-31). */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  /**
   * @throws IllegalArgumentException for a Timestamp outside the range its specification allows
   *     (found by fuzzing: such a value used to escape as a DateTimeException, answered UNKNOWN)
   */
  static Instant instant(Timestamp ts) {
    if (ts.getSeconds() < MIN_SECONDS
        || ts.getSeconds() > MAX_SECONDS
        || ts.getNanos() < 0
        || ts.getNanos() > 999_999_999) {
      throw new IllegalArgumentException(
          "timestamp out of range (seconds "
              + ts.getSeconds()
              + ", nanos "
              + ts.getNanos()
              + "): years 0001 to 9999 only");
    }
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  /**
   * The registration announced by a hello.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  static RigRegistration registration(AgentHello hello) {
    RigIdentity id = hello.getRig();
    requireId(id.getRigId(), "hello.rig.rig_id");
    requireId(id.getSiteId(), "hello.rig.site_id");
    requireId(id.getHardwareProfileId(), "hello.rig.hardware_profile_id");
    if (hello.getAgentVersion().length() > AgentInputRules.MAX_ID) {
      throw new IllegalArgumentException("hello.agent_version is too long");
    }
    if (hello.getCapabilitiesCount() > AgentInputRules.MAX_CAPABILITIES) {
      throw new IllegalArgumentException(
          "hello.capabilities: at most " + AgentInputRules.MAX_CAPABILITIES);
    }
    List<RigCapability> caps = new ArrayList<>();
    for (int i = 0; i < hello.getCapabilitiesCount(); i++) {
      Capability c = hello.getCapabilities(i);
      String field = "hello.capabilities[" + i + "]";
      CurtailmentMethodKind method =
          switch (c.getMethod()) {
            case CURTAILMENT_METHOD_POWER_TARGET -> CurtailmentMethodKind.POWER_TARGET;
            case CURTAILMENT_METHOD_SLEEP -> CurtailmentMethodKind.SLEEP;
            case CURTAILMENT_METHOD_RELAY_CUT -> CurtailmentMethodKind.RELAY_CUT;
            case CURTAILMENT_METHOD_GPU_POWER_LIMIT -> CurtailmentMethodKind.GPU_POWER_LIMIT;
            case CURTAILMENT_METHOD_SWITCH_WORKLOAD -> CurtailmentMethodKind.SWITCH_WORKLOAD;
            case CURTAILMENT_METHOD_UNSPECIFIED, UNRECOGNIZED ->
                throw new IllegalArgumentException(field + ".method is not set or unknown");
          };
      if (!finiteNonNegative(c.getMinPowerW())
          || !finiteNonNegative(c.getMaxPowerW())
          || c.getMinPowerW() > c.getMaxPowerW()) {
        throw new IllegalArgumentException(
            field + " needs 0 <= min_power_w <= max_power_w (finite watts)");
      }
      if (!finiteNonNegative(c.getLatencyS())) {
        throw new IllegalArgumentException(field + ".latency_s must be >= 0 seconds");
      }
      caps.add(new RigCapability(method, c.getMinPowerW(), c.getMaxPowerW(), c.getLatencyS()));
    }
    var n = hello.getNameplate();
    RigNameplate nameplate =
        hello.hasNameplate()
            ? new RigNameplate(
                nonNegative(n.getPowerW()),
                nonNegative(n.getHashrateThs()),
                nonNegative(n.getEfficiencyJPerTh()),
                nonNegative(n.getSleepPowerW()),
                nonNegative(n.getRampWPerS()))
            : RigNameplate.UNKNOWN;
    return new RigRegistration(
        id.getRigId(),
        id.getSiteId(),
        id.getHardwareProfileId(),
        hello.getAgentVersion(),
        caps,
        nameplate);
  }

  static RigSample sample(TelemetrySample s, Instant receivedAt) {
    Quality q = s.getPowerQuality();
    boolean usable =
        (q == Quality.QUALITY_GOOD || q == Quality.QUALITY_UNCERTAIN)
            && finiteNonNegative(s.getPowerW());
    return new RigSample(
        s.getSequence(),
        s.hasSampledAt() ? instant(s.getSampledAt()) : receivedAt,
        s.getPowerW(),
        usable,
        q == Quality.UNRECOGNIZED ? "UNRECOGNIZED" : q.name().substring("QUALITY_".length()),
        s.getHashrateThs(),
        s.getChipTempMaxC(),
        s.getGridFrequencyHz(),
        activity(s.getState()),
        s.getPowerTargetW(),
        receivedAt);
  }

  static RigActivity activity(io.flexrig.proto.v1.RigState state) {
    return switch (state) {
      case RIG_STATE_RUNNING -> RigActivity.RUNNING;
      case RIG_STATE_CURTAILED -> RigActivity.CURTAILED;
      case RIG_STATE_SLEEPING -> RigActivity.SLEEPING;
      case RIG_STATE_SAFETY_LIMITED -> RigActivity.SAFETY_LIMITED;
      case RIG_STATE_STARTING -> RigActivity.STARTING;
      case RIG_STATE_OFF -> RigActivity.OFF;
      case RIG_STATE_UNSPECIFIED, UNRECOGNIZED -> RigActivity.UNKNOWN;
    };
  }

  static Command command(RigCommand c) {
    Command.Builder b =
        Command.newBuilder()
            .setCommandId(c.commandId())
            .setEventId(c.eventId())
            .setIssuedAt(timestamp(c.issuedAt()))
            .setDeadline(timestamp(c.deadline()))
            .setExpiresAt(timestamp(c.expiresAt()));
    switch (c.action()) {
      case SET_POWER_TARGET ->
          b.setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(c.powerW()));
      case SLEEP -> b.setSleep(Sleep.getDefaultInstance());
      case WAKE -> b.setWake(Wake.getDefaultInstance());
      case RELEASE -> b.setRelease(Release.getDefaultInstance());
    }
    return b.build();
  }

  static io.flexrig.proto.v1.CurtailmentEvent event(CurtailmentEvent e) {
    var b =
        io.flexrig.proto.v1.CurtailmentEvent.newBuilder()
            .setEventId(e.eventId())
            .setSiteId(e.siteId())
            .setRequestId(e.requestId())
            .setStartAt(timestamp(e.startAt()))
            .setDeadline(timestamp(e.deadline()))
            .setEndAt(timestamp(e.endAt()))
            .setState(state(e.state()))
            .setProgram(e.program())
            .setCreatedAt(timestamp(e.createdAt()));
    switch (e.target()) {
      case EventTarget.ReduceBy(double kw) -> b.setReduceByKw(kw);
      case EventTarget.Cap(double kw) -> b.setCapSiteKw(kw);
      case EventTarget.Schedule sched -> b.setSetpointSchedule(schedule(sched));
    }
    return b.build();
  }

  static EventState state(io.flexrig.controller.events.EventState s) {
    return switch (s) {
      case SCHEDULED -> EventState.EVENT_STATE_SCHEDULED;
      case ACTIVE -> EventState.EVENT_STATE_ACTIVE;
      case COMPLETED -> EventState.EVENT_STATE_COMPLETED;
      case CANCELLED -> EventState.EVENT_STATE_CANCELLED;
    };
  }

  static io.flexrig.proto.v1.EventStatus status(EventStatus s) {
    var b =
        io.flexrig.proto.v1.EventStatus.newBuilder()
            .setEvent(event(s.event()))
            .setBaselineKw(s.baselineKw())
            .setTargetKw(s.targetKw())
            .setMeasuredKw(s.measuredKw())
            .setRigsCurtailed(s.rigsCurtailed())
            .setTargetMet(s.targetMet())
            .setDeadlineMet(s.event().deadlineMet())
            .setObservedAt(timestamp(s.observedAt()));
    s.event().targetMetAt().ifPresent(t -> b.setTargetMetAt(timestamp(t)));
    s.awaitingFleet()
        .ifPresent(
            f ->
                b.setAwaitingFleet(
                    io.flexrig.proto.v1.FleetReturn.newBuilder()
                        .setRigsBack(f.rigsBack())
                        .setRigsAwaited(f.rigsAwaited())
                        .setStartBy(timestamp(f.until()))));
    return b.build();
  }

  static io.flexrig.proto.v1.SetpointSchedule schedule(EventTarget.Schedule s) {
    var b =
        io.flexrig.proto.v1.SetpointSchedule.newBuilder()
            .setKind(
                s.reduce() ? SetpointKind.SETPOINT_KIND_REDUCE : SetpointKind.SETPOINT_KIND_CAP);
    for (EventTarget.Schedule.Step step : s.steps()) {
      b.addSteps(SetpointStep.newBuilder().setStartAt(timestamp(step.startAt())).setKw(step.kw()));
    }
    return b.build();
  }

  /**
   * The schedule a request describes.
   *
   * @throws IllegalArgumentException naming the malformed field
   */
  static EventTarget.Schedule schedule(io.flexrig.proto.v1.SetpointSchedule s, String field) {
    boolean reduce =
        switch (s.getKind()) {
          case SETPOINT_KIND_REDUCE -> true;
          case SETPOINT_KIND_CAP -> false;
          case SETPOINT_KIND_UNSPECIFIED, UNRECOGNIZED ->
              throw new IllegalArgumentException(field + ".kind must be CAP or REDUCE");
        };
    if (s.getStepsCount() == 0) {
      throw new IllegalArgumentException(field + ".steps: at least one step is required");
    }
    if (s.getStepsCount() > MAX_SCHEDULE_STEPS) {
      throw new IllegalArgumentException(
          field + ".steps: at most " + MAX_SCHEDULE_STEPS + " steps");
    }
    List<EventTarget.Schedule.Step> steps = new ArrayList<>();
    for (int i = 0; i < s.getStepsCount(); i++) {
      SetpointStep step = s.getSteps(i);
      if (!step.hasStartAt()) {
        throw new IllegalArgumentException(field + ".steps[" + i + "].start_at is required");
      }
      Instant startAt;
      try {
        startAt = instant(step.getStartAt());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            field + ".steps[" + i + "].start_at: " + e.getMessage(), e);
      }
      steps.add(
          new EventTarget.Schedule.Step(
              startAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), step.getKw()));
    }
    return new EventTarget.Schedule(reduce, steps);
  }

  /** At most this many steps: a day of 5-minute steps and then some. */
  static final int MAX_SCHEDULE_STEPS = 1000;

  static ComplianceReport complianceReport(
      io.flexrig.controller.compliance.ComplianceReport r, String csv, String svg) {
    var method = r.deltaBaseline();
    var b =
        ComplianceReport.newBuilder()
            .setEvent(event(r.event()))
            .setFinal(r.isFinal())
            .setDeltaBaseline(
                method
                        == io.flexrig.controller.compliance.ComplianceReport.BaselineMethod
                            .MIDDLE_8_OF_10_DAYS
                    ? BaselineMethod.BASELINE_METHOD_MIDDLE_8_OF_10_DAYS
                    : BaselineMethod.BASELINE_METHOD_PRE_EVENT_AVERAGE)
            .setPreEventBaselineKw(finite(r.preEventKw()))
            .setLikeDaysUsed(r.likeDaysUsed())
            .setLikeDaysBaselineKw(finite(r.likeDaysKw()))
            .setMeasuredKw(finite(r.measuredKw()))
            .setDeltaKw(finite(r.deltaKw()))
            .setTargetKw(finite(r.targetKw()))
            .setTargetMet(r.targetMet())
            .setDeadlineMet(r.deadlineMet())
            .setGeneratedAt(timestamp(r.generatedAt()))
            .setCsv(csv)
            .setSvg(svg);
    r.event().targetMetAt().ifPresent(t -> b.setTargetMetAt(timestamp(t)));
    for (var i : r.intervals()) {
      b.addIntervals(
          ComplianceInterval.newBuilder()
              .setStartAt(timestamp(i.start()))
              .setEndAt(timestamp(i.end()))
              .setPreEventBaselineKw(finite(i.preEventKw()))
              .setLikeDaysBaselineKw(finite(i.likeDaysKw()))
              .setMeasuredKw(finite(i.measuredKw()))
              .setTargetKw(finite(i.targetKw()))
              .setDeltaKw(finite(i.deltaKw(method)))
              .setAtTarget(i.atTarget())
              .setCoveredS(i.coveredS()));
    }
    for (var rig : r.rigs()) {
      b.addRigs(
          RigContribution.newBuilder()
              .setRigId(rig.rigId())
              .setBeforeKw(rig.beforeKw())
              .setDuringKw(rig.duringKw())
              .setShedKw(rig.shedKw())
              .setShare(r.share(rig)));
    }
    return b.build();
  }

  /** NaN (no data) travels as 0, as the proto documents. */
  private static double finite(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static void requireId(String value, String field) {
    String problem = AgentInputRules.idProblem(field, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static boolean finiteNonNegative(double v) {
    return v >= 0 && !Double.isInfinite(v);
  }

  private static double nonNegative(double v) {
    return finiteNonNegative(v) ? v : 0;
  }
}
