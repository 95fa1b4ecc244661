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
 */
public record SiteLoad(
    String siteId,
    double measuredW,
    int rigsMeasured,
    int rigsStale,
    int rigsConnected,
    int rigsKnown,
    int rigsCurtailed,
    double nameplateW) {}
