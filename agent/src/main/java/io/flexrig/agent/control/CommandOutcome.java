package io.flexrig.agent.control;

/** How an accepted command ended; mirrors {@code flexrig.v1.CommandOutcome}. */
public enum CommandOutcome {
  /** Measured power reached the target before the deadline. */
  ACHIEVED,
  /** Measured power reached the target after the deadline. */
  ACHIEVED_LATE,
  /** Measured power did not reach the target by the deadline plus grace, or no knob worked. */
  FAILED,
  /** The command expired or was replaced before it finished. */
  SUPERSEDED
}
