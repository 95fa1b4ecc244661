package io.flexrig.agent.control;

import java.time.Instant;

/**
 * A command to this rig, as received (fields may be missing: the executor validates them).
 *
 * @param commandId unique id chosen by the sender; repeated ids are not executed twice
 * @param eventId the curtailment event served, or empty
 * @param issuedAt when the sender issued it, or null
 * @param deadline the power must be reached by then
 * @param expiresAt after this the command no longer applies and the rig returns to normal
 * @param action what to do, or null when the sender gave none
 */
public record CurtailmentCommand(
    String commandId,
    String eventId,
    Instant issuedAt,
    Instant deadline,
    Instant expiresAt,
    Action action) {

  /** What a command asks for. */
  public sealed interface Action {}

  /** Run at (at most) this input power. */
  public record SetPowerTarget(double powerW) implements Action {}

  /** Stop the workload, keep the board up. */
  public record Sleep() implements Action {}

  /** Start the workload again. */
  public record Wake() implements Action {}

  /** End any curtailment and return to the nameplate power target. */
  public record Release() implements Action {}

  /** Arm or disarm the autonomous frequency response; not a curtailment, nothing is held. */
  public record ArmFrequencyResponse(boolean armed, String program) implements Action {}

  /** Run another of the profile's workloads; not a curtailment, nothing held is replaced. */
  public record SwitchWorkload(String workload) implements Action {}
}
