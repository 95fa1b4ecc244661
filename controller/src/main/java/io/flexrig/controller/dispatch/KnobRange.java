package io.flexrig.controller.dispatch;

/**
 * One curtailment knob of a rig as the dispatcher sees it.
 *
 * @param minPowerW lowest rig power the knob can hold, in watts
 * @param maxPowerW highest rig power the knob can hold, in watts
 * @param latencyS time from command to the new power being reached, in seconds
 */
public record KnobRange(double minPowerW, double maxPowerW, double latencyS) {

  public KnobRange {
    if (!(minPowerW >= 0) || !(maxPowerW >= minPowerW) || !(latencyS >= 0)) {
      throw new IllegalArgumentException(
          "knob range needs 0 <= min <= max and latency >= 0, got min="
              + minPowerW
              + " max="
              + maxPowerW
              + " latency="
              + latencyS);
    }
  }
}
