package io.flexrig.controller.openadr;

import io.flexrig.openadr.SimpleLevels;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the controller's OpenADR 3 VEN reaches its VTN and what a signal means for the site.
 *
 * @param vtnUrl the VTN's base URL (ending in {@code /openadr3/3.1.0})
 * @param clientId OAuth2 client-credentials id issued by the VTN operator
 * @param clientSecret its secret (read from a file, never from the command line)
 * @param venName the VEN's name at the VTN
 * @param programName the demand-response program the site is enrolled in
 * @param siteId the Flexrig site the VEN speaks for
 * @param simpleLevels kW shed for SIMPLE levels 1, 2 and 3
 * @param responseTime how long after an interval starts the site must be at its target
 * @param pollInterval how often the VEN asks the VTN for events
 */
public record OpenAdrSettings(
    URI vtnUrl,
    String clientId,
    String clientSecret,
    String venName,
    String programName,
    String siteId,
    SimpleLevels simpleLevels,
    Duration responseTime,
    Duration pollInterval) {

  public OpenAdrSettings {
    Objects.requireNonNull(vtnUrl, "vtnUrl");
    Objects.requireNonNull(simpleLevels, "simpleLevels");
    if (responseTime.isNegative() || responseTime.isZero()) {
      throw new IllegalArgumentException("response time must be positive: " + responseTime);
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
    }
  }
}
