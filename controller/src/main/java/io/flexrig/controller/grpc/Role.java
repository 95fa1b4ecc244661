package io.flexrig.controller.grpc;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, read from its certificate's organizational unit ({@code OU=agent}, {@code
 * OU=grid-operator}, {@code OU=monitor}); a grid token grants {@link #GRID_OPERATOR}.
 */
public enum Role {
  /** A rig's agent: {@code FleetService} only, as the rig named by its certificate's CN. */
  AGENT("agent"),
  /** Creates, cancels and reads curtailment events and site status. */
  GRID_OPERATOR("grid-operator"),
  /** Reads events and site status (Get, List, Watch); changes nothing. */
  MONITOR("monitor"),
  /** Plaintext development mode on loopback: no identity, every door open. */
  DEVELOPER("dev-plaintext");

  private final String ou;

  Role(String ou) {
    this.ou = ou;
  }

  /** The OU value in a certificate. */
  public String ou() {
    return ou;
  }

  /** The role named by an OU value; development is never granted by a certificate. */
  public static Optional<Role> ofOu(String ou) {
    String v = ou.strip().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r != DEVELOPER && r.ou.equals(v)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
