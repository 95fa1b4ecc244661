package io.flexrig.controller.store;

import io.flexrig.controller.fleet.RigRegistration;

/** A rig loaded at start, with the highest telemetry sequence stored for it. */
public record StoredRig(RigRegistration registration, long storedThroughSequence) {}
