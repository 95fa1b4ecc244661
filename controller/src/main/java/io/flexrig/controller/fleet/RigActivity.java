package io.flexrig.controller.fleet;

/** What a rig reports it is doing; mirrors {@code flexrig.v1.RigState}. */
public enum RigActivity {
  UNKNOWN,
  RUNNING,
  CURTAILED,
  SLEEPING,
  SAFETY_LIMITED,
  STARTING,
  OFF;

  /** True when the rig runs below its normal power for any reason. */
  public boolean shedding() {
    return this == CURTAILED || this == SLEEPING || this == OFF;
  }
}
