package io.flexrig.agent.uplink;

import java.time.Duration;

/**
 * How the agent reaches its controller.
 *
 * @param target {@code host:port} of the controller's FleetService
 * @param plaintext no TLS (mTLS comes later); must be true for now
 * @param initialBackoff first wait before reconnecting; doubled on every failure
 * @param maxBackoff longest wait between reconnects
 * @param maxBatch most samples per TelemetryBatch when catching up
 * @param keepAlive HTTP/2 ping interval on an idle connection (the controller must permit it)
 */
public record UplinkSettings(
    String target,
    boolean plaintext,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxBatch,
    Duration keepAlive) {

  public UplinkSettings {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("controller target is empty");
    }
    if (!plaintext) {
      throw new IllegalArgumentException(
          "TLS to the controller is not supported yet; set plaintext");
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be positive");
    }
  }

  public static UplinkSettings plaintext(String target) {
    return new UplinkSettings(
        target, true, Duration.ofMillis(250), Duration.ofSeconds(10), 100, Duration.ofMinutes(5));
  }

  public UplinkSettings withBackoff(Duration initial, Duration max) {
    return new UplinkSettings(target, plaintext, initial, max, maxBatch, keepAlive);
  }
}
