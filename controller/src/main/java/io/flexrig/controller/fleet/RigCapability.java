package io.flexrig.controller.fleet;

import io.flexrig.core.profile.CurtailmentMethodKind;
import java.util.Objects;

/**
 * One curtailment method a rig announced in its hello.
 *
 * @param method the knob
 * @param minPowerW lowest rig power it can hold, in watts
 * @param maxPowerW highest rig power it can hold, in watts
 * @param latencyS measured time from command to the new power, in seconds
 */
public record RigCapability(
    CurtailmentMethodKind method, double minPowerW, double maxPowerW, double latencyS) {

  public RigCapability {
    Objects.requireNonNull(method, "method");
  }
}
