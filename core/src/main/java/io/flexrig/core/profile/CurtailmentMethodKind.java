package io.flexrig.core.profile;

/** The knobs a rig can shed load with; mirrors {@code flexrig.v1.CurtailmentMethod}. */
public enum CurtailmentMethodKind {
  POWER_TARGET,
  SLEEP,
  RELAY_CUT,
  GPU_POWER_LIMIT,
  SWITCH_WORKLOAD
}
