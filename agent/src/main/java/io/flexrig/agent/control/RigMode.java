package io.flexrig.agent.control;

/** What the executor has put the rig in. */
public enum RigMode {
  /** Normal operation: no curtailment in force. */
  RUNNING,
  /** Running at a lowered power target. */
  CURTAILED,
  /** Workload stopped by a sleep command. */
  SLEEPING,
  /** Derated or cut by the safety loop (temperature, fan, power limit). */
  SAFETY_LIMITED,
  /** Supply cut by the relay or PDU outlet. */
  OFF
}
