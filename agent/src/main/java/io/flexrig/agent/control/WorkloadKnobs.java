package io.flexrig.agent.control;

import java.io.IOException;

/**
 * The knobs that change what the workload draws. Implemented by the miner's API adapter; each call
 * returns once the workload accepted the change (not once the power has moved).
 */
public interface WorkloadKnobs {

  /** Run at (at most) this input power, in watts. */
  void setPowerTarget(double watts) throws IOException;

  /** Stop the workload, keep the control board up. */
  void sleep() throws IOException;

  /** Start the workload again. */
  void wake() throws IOException;
}
