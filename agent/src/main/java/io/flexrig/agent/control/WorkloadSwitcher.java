package io.flexrig.agent.control;

import java.io.IOException;
import java.time.Instant;

/**
 * Moves the rig between its profile's workloads (mining, AI inference) for the executor's {@link
 * CurtailmentCommand.SwitchWorkload}. The switch itself (drain, stop, start) runs in the
 * background; its verified result is reported like any command's.
 */
public interface WorkloadSwitcher {

  /** Why a switch to {@code workload} cannot be accepted now (unknown, running, hold), or null. */
  String problemWith(String workload, Instant now);

  /**
   * Records the switch durably (before the command is acknowledged) and starts it.
   *
   * @throws IOException when the choice could not be recorded; the command is then rejected
   */
  void switchTo(String commandId, String workload, Instant now) throws IOException;
}
