package io.flexrig.controller.fleet;

import io.flexrig.core.profile.CurtailmentMethodKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller knows about a rig from its latest hello (or from the store after a restart).
 */
public record RigRegistration(
    String rigId,
    String siteId,
    String hardwareProfileId,
    String agentVersion,
    List<RigCapability> capabilities,
    RigNameplate nameplate) {

  public RigRegistration {
    Objects.requireNonNull(rigId, "rigId");
    Objects.requireNonNull(siteId, "siteId");
    Objects.requireNonNull(hardwareProfileId, "hardwareProfileId");
    agentVersion = agentVersion == null ? "" : agentVersion;
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(nameplate, "nameplate");
  }

  /** The capability for a knob, if the rig has it. */
  public Optional<RigCapability> capability(CurtailmentMethodKind method) {
    return capabilities.stream().filter(c -> c.method() == method).findFirst();
  }
}
