package io.flexrig.controller.store;

import java.time.Duration;

/**
 * How long telemetry is kept, and how the 1-minute rollups are made.
 *
 * @param rawSamples raw samples older than this (by {@code sampled_at}) are deleted
 * @param rollups 1-minute rollups older than this are deleted
 * @param every how often the rollup and retention job runs
 * @param settle a minute is rolled up once it ended this long ago, so late samples (an agent
 *     replaying its outbox) are in; later ones still arrive and the minute is rolled up again
 * @param deleteBatch most rows one delete statement removes, so retention never holds the writer
 *     for long
 */
public record TelemetryRetention(
    Duration rawSamples, Duration rollups, Duration every, Duration settle, int deleteBatch) {

  /** Raw samples 48 h, rollups 400 days, the job every 30 s, minutes settled for 10 s. */
  public static final TelemetryRetention DEFAULT =
      new TelemetryRetention(
          Duration.ofHours(48),
          Duration.ofDays(400),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          5_000);

  public TelemetryRetention {
    if (rawSamples == null || rawSamples.compareTo(Duration.ofMinutes(10)) < 0) {
      throw new IllegalArgumentException(
          "raw samples must be kept >= 10 minutes, got " + rawSamples);
    }
    if (rollups == null || rollups.compareTo(rawSamples) < 0) {
      throw new IllegalArgumentException(
          "rollups must be kept at least as long as raw samples ("
              + rawSamples
              + "), got "
              + rollups);
    }
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be > 0, got " + every);
    }
    if (settle == null || settle.isNegative()) {
      throw new IllegalArgumentException("settle must be >= 0, got " + settle);
    }
    if (deleteBatch < 1) {
      throw new IllegalArgumentException("deleteBatch must be >= 1, got " + deleteBatch);
    }
  }

  /** Raw samples kept {@code rawHours} hours, rollups {@code rollupDays} days, other defaults. */
  public static TelemetryRetention of(long rawHours, long rollupDays) {
    return new TelemetryRetention(
        Duration.ofHours(rawHours),
        Duration.ofDays(rollupDays),
        DEFAULT.every(),
        DEFAULT.settle(),
        DEFAULT.deleteBatch());
  }
}
