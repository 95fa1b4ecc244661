package io.flexrig.core.profile;

/**
 * Autonomous fast frequency response: below a trip point the agent sheds load by itself, holds it,
 * and restores only once the grid frequency has recovered. Optional per profile.
 *
 * @param nominalHz the grid's nominal frequency, 50 or 60
 * @param tripHz below this the agent sheds while the controller has armed it (a fast frequency
 *     response program, e.g. 59.85 Hz for ERCOT FFR)
 * @param ufrTripHz below this the agent sheds even when disarmed, as an under-frequency relay would
 *     (e.g. 59.70 Hz); NaN when the rig has no such duty
 * @param method the knob that sheds: POWER_TARGET (to {@code shedToW}), SLEEP or RELAY_CUT
 * @param shedToW the power to shed to with POWER_TARGET; NaN for SLEEP and RELAY_CUT
 * @param holdS how long the shed is held at least (900 s for ERCOT FFR)
 * @param recoverHz the load is restored only once the frequency is back at or above this
 */
public record FrequencyResponse(
    double nominalHz,
    double tripHz,
    double ufrTripHz,
    CurtailmentMethodKind method,
    double shedToW,
    double holdS,
    double recoverHz) {}
