package io.flexrig.controller.fleet;

import java.time.Instant;

/**
 * The fields of one telemetry sample that the controller keeps in memory and in the store.
 *
 * @param sequence per-rig sequence number
 * @param sampledAt when the agent took the sample (agent clock)
 * @param powerW measured input power in watts
 * @param powerUsable true when power quality was GOOD or UNCERTAIN
 * @param powerQuality the quality name as sent (GOOD, UNCERTAIN, BAD, UNSPECIFIED)
 * @param hashrateThs hashrate in TH/s
 * @param chipTempMaxC hottest chip in degrees Celsius
 * @param gridFrequencyHz grid frequency in hertz (0 when the rig has no meter)
 * @param activity what the rig is doing
 * @param powerTargetW power target in force, in watts (0 when none)
 * @param receivedAt when the controller received it (controller clock)
 */
public record RigSample(
    long sequence,
    Instant sampledAt,
    double powerW,
    boolean powerUsable,
    String powerQuality,
    double hashrateThs,
    double chipTempMaxC,
    double gridFrequencyHz,
    RigActivity activity,
    double powerTargetW,
    Instant receivedAt) {

  /**
   * The instant the sample is judged fresh from: the agent's sampling time, but never later than
   * its arrival, so an agent clock running ahead cannot make an old value look fresh.
   */
  public Instant observedAt() {
    return sampledAt.isBefore(receivedAt) ? sampledAt : receivedAt;
  }
}
