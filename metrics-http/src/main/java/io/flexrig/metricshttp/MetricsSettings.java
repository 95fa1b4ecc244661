package io.flexrig.metricshttp;

import java.util.Objects;

/**
 * Where the agent or the controller serves {@code /metrics}.
 *
 * @param bindAddress the address to listen on; loopback unless Prometheus scrapes this machine from
 *     another one (a site's Prometheus scraping a rig's board over its network)
 * @param port TCP port; 0 picks a free one (tests)
 */
public record MetricsSettings(String bindAddress, int port) {
  public static final String DEFAULT_BIND = "127.0.0.1";

  public MetricsSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("metrics bind address must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("metrics port must be in 0..65535, got " + port);
    }
  }

  /** Loopback on {@code port}. */
  public static MetricsSettings loopback(int port) {
    return new MetricsSettings(DEFAULT_BIND, port);
  }
}
