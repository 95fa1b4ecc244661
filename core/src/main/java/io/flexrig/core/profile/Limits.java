package io.flexrig.core.profile;

/**
 * The rig's safety envelope. The agent enforces it locally and no command can override it.
 *
 * @param maxPowerW highest wall power the rig may draw (PSU and breaker limit)
 * @param minPowerTargetW lowest power target at which the workload still runs
 * @param sleepPowerW draw while asleep (control board, fans at idle)
 * @param chipTempC chip temperature thresholds
 * @param boardTempC board (hashboard or GPU memory/hotspot) temperature thresholds
 * @param inletTempC air or coolant inlet thresholds
 * @param minFanRpm below this (while running) the fan is considered failed; 0 for immersion
 * @param rampWPerS largest power change per second the rig should be asked for
 * @param minOffS minimum time asleep or off before the workload may start again (PSU cycling)
 * @param minOnS minimum time running before the rig may be put to sleep again
 */
public record Limits(
    double maxPowerW,
    double minPowerTargetW,
    double sleepPowerW,
    TemperatureLimit chipTempC,
    TemperatureLimit boardTempC,
    TemperatureLimit inletTempC,
    double minFanRpm,
    double rampWPerS,
    double minOffS,
    double minOnS) {

  /** The power target actually applied for a requested one: inside [minPowerTargetW, maxPowerW]. */
  public double clampPowerTarget(double requestedW) {
    return Math.max(minPowerTargetW, Math.min(maxPowerW, requestedW));
  }
}
