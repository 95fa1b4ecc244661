package io.flexrig.core.profile;

/**
 * A first-order thermal model of the rig: each temperature approaches {@code ambient + rise * kW}
 * with the time constant. The simulator follows it; the agent uses it to predict a runaway.
 */
public record Thermal(
    double ambientC, double timeConstantS, double chipRiseCPerKw, double boardRiseCPerKw) {}
