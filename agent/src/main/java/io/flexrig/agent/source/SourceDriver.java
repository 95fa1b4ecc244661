package io.flexrig.agent.source;

import io.flexrig.core.profile.SensorSpec;

/**
 * Opens sources for one address scheme ({@code cgminer}, {@code opcua}, {@code i2c}). Drivers are
 * found by {@link java.util.ServiceLoader}; see {@link SourceDrivers}.
 */
public interface SourceDriver {

  /** The address scheme this driver serves, without the colon. */
  String scheme();

  /**
   * Opens a source for the sensor. Parses the address (failing with {@link InvalidAddressException}
   * when it is malformed) and may connect; a peer that is down must not fail the open when the
   * driver can retry later.
   */
  Source open(SensorSpec sensor, SourceContext context) throws java.io.IOException;
}
