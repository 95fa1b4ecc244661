package io.flexrig.core.economics;

/** What a hybrid site or rig spends its power on. */
public enum Workload {
  /** Bitcoin mining on the site's ASICs. */
  MINING,
  /** AI rental or inference on the site's GPUs. */
  AI,
  /** Nothing: everything asleep, drawing only sleep power. */
  CURTAILED
}
