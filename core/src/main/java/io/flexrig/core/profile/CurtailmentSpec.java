package io.flexrig.core.profile;

/**
 * One curtailment method of the model with its measured behaviour.
 *
 * @param method the knob
 * @param latencyS time from command to the new power being reached, in seconds
 * @param minPowerW lowest rig power the knob can hold
 * @param maxPowerW highest rig power the knob can hold
 */
public record CurtailmentSpec(
    CurtailmentMethodKind method, double latencyS, double minPowerW, double maxPowerW) {}
