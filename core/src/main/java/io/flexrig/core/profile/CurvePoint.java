package io.flexrig.core.profile;

/** One point of a power curve: at {@code powerW} wall power the rig produces {@code output}. */
public record CurvePoint(double powerW, double output) {}
