package io.flexrig.controller.hybrid;

import io.flexrig.core.economics.SwitchingPolicy;
import java.util.Objects;

/**
 * A site whose miners and GPU machines share one power budget (a feeder, a transformer, an
 * interconnection limit), so it runs one side or the other: the controller picks mining or AI by
 * margin and sleeps the side not chosen.
 *
 * @param siteId the site, as the agents' certificates name it
 * @param policy switching cost, minimum hold and deadband, so the site does not flap between sides
 */
public record HybridSite(String siteId, SwitchingPolicy policy) {
  public HybridSite {
    Objects.requireNonNull(siteId, "siteId");
    Objects.requireNonNull(policy, "policy");
  }
}
