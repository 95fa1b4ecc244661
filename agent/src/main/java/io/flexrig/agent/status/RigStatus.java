package io.flexrig.agent.status;

import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.core.profile.Limits;
import java.time.Instant;
import java.util.Objects;

/**
 * What a site operator or a technician wants to know about the rig at one instant: its identity,
 * the latest snapshot, the curtailment in force, the safety envelope and the link to the
 * controller. Built by the agent after every snapshot (on its control thread, so the curtailment
 * and safety figures belong to that snapshot); read by the OPC UA server and the status file.
 *
 * @param at when this status was assembled
 * @param snapshot the rig's latest snapshot (power, hashrate, every reading with its quality)
 * @param powerTargetW the power target in force after clamping, W; 0 when none was ever set
 * @param workloadState what the workload is doing: {@code RUNNING}, {@code SLEEPING}, {@code OFF},
 *     {@code STOPPED} (cut by the safety loop); where the agent supervises the workload process
 *     also {@code SWITCHING} (mining and AI), {@code BACKOFF} (crashed, restart pending) and {@code
 *     STOPPING}
 */
public record RigStatus(
    Instant at,
    Identity identity,
    RigSnapshot snapshot,
    double powerTargetW,
    String workloadState,
    Curtailment curtailment,
    Safety safety,
    Link link) {

  public RigStatus {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(workloadState, "workloadState");
    Objects.requireNonNull(curtailment, "curtailment");
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(link, "link");
  }

  /**
   * Who the rig is.
   *
   * @param profileId the hardware profile's id
   * @param vendor the rig's maker
   * @param model the rig's model
   * @param agentVersion the agent's version
   * @param startedAt when this agent process started
   */
  public record Identity(
      String rigId,
      String siteId,
      String profileId,
      String vendor,
      String model,
      String agentVersion,
      Instant startedAt) {}

  /**
   * The curtailment in force.
   *
   * @param mode the executor's {@code RigMode} name ({@code RUNNING}, {@code CURTAILED}, {@code
   *     SLEEPING}, {@code SAFETY_LIMITED}, {@code OFF})
   * @param commandId the command being held; empty when none
   * @param setpointW the power the command asked for after clamping, W; NaN when none or a sleep
   * @param deadline when the setpoint must be reached; null when unknown or none
   * @param expiresAt when the command stops applying; null when unknown or none
   * @param clamped whether the command was clamped to the rig's limits
   */
  public record Curtailment(
      String mode,
      String commandId,
      double setpointW,
      Instant deadline,
      Instant expiresAt,
      boolean clamped) {
    /** True while a command is held. */
    public boolean active() {
      return !commandId.isEmpty();
    }
  }

  /**
   * The safety envelope.
   *
   * @param limits the profile's limits
   * @param ceilingW the power no command may exceed now, W
   * @param cut whether the safety loop requires the workload off
   * @param reason why the envelope is narrowed; empty when it is not
   * @param lastAlarm the last safety alarm's code; empty when none was raised
   * @param lastAlarmAt when it was raised; null when none
   */
  public record Safety(
      Limits limits,
      double ceilingW,
      boolean cut,
      String reason,
      String lastAlarm,
      Instant lastAlarmAt) {}

  /**
   * The link to the fleet controller.
   *
   * @param controller the controller's {@code host:port}
   * @param connected whether the controller accepted this rig's session
   * @param outboxDepth samples waiting for the controller's acknowledgement
   */
  public record Link(String controller, boolean connected, int outboxDepth) {}
}
