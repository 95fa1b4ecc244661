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

  /** True when {@link #setSupply} can cut the rig's supply (a PDU outlet or PSU-enable relay). */
  default boolean hasSupplySwitch() {
    return false;
  }

  /** Opens ({@code false}) or closes the rig's supply relay: the hard cut and its undo. */
  default void setSupply(boolean on) throws IOException {
    throw new IOException("this rig has no supply switch");
  }
}
