package io.flexrig.controller.fleet;

/**
 * A rig's nameplate figures as announced by its agent.
 *
 * @param powerW rated power in watts
 * @param hashrateThs rated hashrate in TH/s (0 for GPU rigs)
 * @param efficiencyJPerTh rated efficiency in J/TH (0 for GPU rigs)
 * @param sleepPowerW draw while asleep in watts
 * @param rampWPerS maximum ramp of power targets in W/s
 */
public record RigNameplate(
    double powerW,
    double hashrateThs,
    double efficiencyJPerTh,
    double sleepPowerW,
    double rampWPerS) {

  public static final RigNameplate UNKNOWN = new RigNameplate(0, 0, 0, 0, 0);
}
