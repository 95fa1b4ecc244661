package io.flexrig.controller.dispatch;

import java.util.Optional;

/**
 * What the dispatcher knows about a rig model beyond its agent's hello: its revenue along its power
 * curve and its time rules. Looked up by hardware profile id.
 */
public interface RigValuation {

  /** Values nothing: every rig falls back to its nameplate efficiency. */
  RigValuation NONE = profileId -> Optional.empty();

  /** Revenue of a rig of this model along its power curve; empty when unknown. */
  Optional<RevenueCurve> revenue(String hardwareProfileId);

  /**
   * Minimum on and off times of this model ({@link Pacing} with only those two set; the ramp comes
   * from the hello's nameplate).
   */
  default Pacing pacing(String hardwareProfileId) {
    return Pacing.NONE;
  }
}
