package io.flexrig.core.profile;

/** The kinds of work a rig can run. */
public enum WorkloadKind {
  /** A miner process with a cgminer-family API. */
  MINING,
  /** An AI inference server with an HTTP health endpoint. */
  AI_INFERENCE
}
