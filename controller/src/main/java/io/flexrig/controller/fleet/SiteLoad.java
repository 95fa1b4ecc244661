package io.flexrig.controller.fleet;

/**
 * A site's load as the controller sees it now.
 *
 * @param siteId the site
 * @param measuredW sum of the latest fresh, usable power of the site's rigs, in watts
 * @param rigsMeasured rigs that contributed to measuredW
 * @param rigsStale rigs whose latest sample is stale, missing or of BAD quality (not counted)
 * @param rigsConnected rigs with a live session
 * @param rigsKnown rigs known to the controller
 * @param rigsCurtailed rigs holding a curtailment command or reporting curtailed, asleep or off
 * @param nameplateW sum of the rigs' nameplate power, in watts
 * @param staleLastKnownW sum of the last usable power of the stale rigs, in watts
 */
public record SiteLoad(
    String siteId,
    double measuredW,
    int rigsMeasured,
    int rigsStale,
    int rigsConnected,
    int rigsKnown,
    int rigsCurtailed,
    double nameplateW,
    double staleLastKnownW) {

  /**
   * The load to judge compliance by: fresh measurements plus the last known power of rigs that went
   * quiet. A rig whose link or meter dies keeps drawing power; counting it as 0 W would let a dark
   * site look compliant.
   */
  public double estimatedW() {
    return measuredW + staleLastKnownW;
  }
}
