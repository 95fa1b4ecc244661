package io.flexrig.core.profile;

/** What kind of machine a profile describes. */
public enum RigKind {
  /** A Bitcoin ASIC miner with a cgminer-family API. */
  ASIC_MINER,
  /** A rig of consumer or workstation GPUs on one host (e.g. 8x RTX 4090). */
  GPU_RIG,
  /** A data-centre GPU node (e.g. an 8x H100 HGX server). */
  GPU_NODE
}
