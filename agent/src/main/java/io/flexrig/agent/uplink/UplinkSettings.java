package io.flexrig.agent.uplink;

import java.time.Duration;

/**
 * How the agent reaches its controller.
 *
 * @param target {@code host:port} of the controller's FleetService
 * @param plaintext no TLS: development only (the controller allows it on loopback only)
 * @param initialBackoff first wait before reconnecting; doubled on every failure
 * @param maxBackoff longest wait between reconnects
 * @param maxBatch most samples per TelemetryBatch when catching up
 * @param keepAlive HTTP/2 ping interval on an idle connection (the controller must permit it)
 * @param tls this rig's certificate, key and the site CA; required unless {@code plaintext}
 */
public record UplinkSettings(
    String target,
    boolean plaintext,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxBatch,
    Duration keepAlive,
    ClientTls tls) {

  public UplinkSettings {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("controller target is empty");
    }
    if (plaintext == (tls != null)) {
      throw new IllegalArgumentException(
          plaintext
              ? "choose plaintext (development) or TLS, not both"
              : "TLS material (certificate, key, site CA) is required unless plaintext");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be positive");
    }
  }

  /** Without TLS material: plaintext must be true. */
  public UplinkSettings(
      String target,
      boolean plaintext,
      Duration initialBackoff,
      Duration maxBackoff,
      int maxBatch,
      Duration keepAlive) {
    this(target, plaintext, initialBackoff, maxBackoff, maxBatch, keepAlive, null);
  }

  public static UplinkSettings plaintext(String target) {
    return new UplinkSettings(
        target, true, Duration.ofMillis(250), Duration.ofSeconds(10), 100, Duration.ofMinutes(5));
  }

  public UplinkSettings withBackoff(Duration initial, Duration max) {
    return new UplinkSettings(target, plaintext, initial, max, maxBatch, keepAlive, tls);
  }

  /** The same, over mutual TLS. */
  public UplinkSettings withTls(ClientTls material) {
    return new UplinkSettings(
        target, false, initialBackoff, maxBackoff, maxBatch, keepAlive, material);
  }
}
