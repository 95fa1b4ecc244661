package io.flexrig.controller.grpc;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.TelemetryBatch;
import io.flexrig.proto.v1.TelemetrySample;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What the controller accepts from an agent, checked before anything is remembered or stored: a
 * message that breaks a rule ends the session with {@code INVALID_ARGUMENT} (or {@code
 * RESOURCE_EXHAUSTED} for sizes) naming the field, and nothing of it is kept.
 *
 * <p>The agent never sends NaN (a missing value is 0 with quality BAD), so a non-finite number is a
 * broken or hostile peer; SQLite would also store NaN as NULL and fail the whole batch.
 */
final class AgentInputRules {

  static final int MAX_SAMPLES_PER_BATCH = 1_000;
  static final int MAX_READINGS_PER_SAMPLE = 256;
  static final int MAX_CAPABILITIES = 16;
  static final double MAX_RIG_POWER_W = 200_000;
  static final double MAX_HASHRATE_THS = 100_000;
  static final double MIN_TEMP_C = -60;
  static final double MAX_TEMP_C = 250;
  static final double MAX_FREQUENCY_HZ = 100;
  static final int MAX_ID = 128;
  static final int MAX_TEXT = 2_048;

  /** An agent's clock may run ahead a little; a day ahead is not a clock, it is a forgery. */
  static final Duration MAX_CLOCK_AHEAD = Duration.ofDays(1);

  static final Instant EARLIEST = Instant.parse("2020-01-01T00:00:00Z");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private AgentInputRules() {}

  /** Null when the id is acceptable, else why not. */
  static String idProblem(String field, String value) {
    if (value.isEmpty()) {
      return field + " is empty";
    }
    if (!ID.matcher(value).matches()) {
      return field
          + " must be 1.."
          + MAX_ID
          + " characters of letters, digits and . _ : @ - (starting with a letter or digit)";
    }
    return null;
  }

  /** Null when the batch may be stored. */
  static Status batch(TelemetryBatch batch, Instant now) {
    if (batch.getSamplesCount() > MAX_SAMPLES_PER_BATCH) {
      return Status.RESOURCE_EXHAUSTED.withDescription(
          "at most "
              + MAX_SAMPLES_PER_BATCH
              + " samples per TelemetryBatch, got "
              + batch.getSamplesCount());
    }
    for (int i = 0; i < batch.getSamplesCount(); i++) {
      if (acceptable(batch.getSamples(i), now)) {
        continue; // the common case, without building a field name per value
      }
      String problem = sample("samples[" + i + "]", batch.getSamples(i), now);
      if (problem != null) {
        return Status.INVALID_ARGUMENT.withDescription("telemetry " + problem);
      }
    }
    return null;
  }

  /** The checks of {@link #sample} without the messages (that method says what is wrong). */
  private static boolean acceptable(TelemetrySample s, Instant now) {
    if (!within(s.getPowerW(), 0, MAX_RIG_POWER_W)
        || !within(s.getPowerTargetW(), 0, MAX_RIG_POWER_W)
        || !within(s.getHashrateThs(), 0, MAX_HASHRATE_THS)
        || !within(s.getChipTempMaxC(), MIN_TEMP_C, MAX_TEMP_C)
        || !within(s.getGridFrequencyHz(), 0, MAX_FREQUENCY_HZ)
        || (s.hasSampledAt() && time("", s.getSampledAt(), now) != null)
        || s.getReadingsCount() > MAX_READINGS_PER_SAMPLE) {
      return false;
    }
    for (int r = 0; r < s.getReadingsCount(); r++) {
      Reading reading = s.getReadings(r);
      if (!Double.isFinite(reading.getValue())
          || reading.getName().length() > MAX_ID
          || reading.getUnit().length() > 16) {
        return false;
      }
    }
    return true;
  }

  private static boolean within(double v, double min, double max) {
    return Double.isFinite(v) && v >= min && v <= max;
  }

  private static String sample(String at, TelemetrySample s, Instant now) {
    String p;
    if ((p = range(at + ".power_w", s.getPowerW(), 0, MAX_RIG_POWER_W, "W")) != null
        || (p = range(at + ".power_target_w", s.getPowerTargetW(), 0, MAX_RIG_POWER_W, "W")) != null
        || (p = range(at + ".hashrate_ths", s.getHashrateThs(), 0, MAX_HASHRATE_THS, "TH/s"))
            != null
        || (p = range(at + ".chip_temp_max_c", s.getChipTempMaxC(), MIN_TEMP_C, MAX_TEMP_C, "C"))
            != null
        || (p = range(at + ".grid_frequency_hz", s.getGridFrequencyHz(), 0, MAX_FREQUENCY_HZ, "Hz"))
            != null) {
      return p;
    }
    if (s.hasSampledAt() && (p = time(at + ".sampled_at", s.getSampledAt(), now)) != null) {
      return p;
    }
    if (s.getReadingsCount() > MAX_READINGS_PER_SAMPLE) {
      return at + " has " + s.getReadingsCount() + " readings, at most " + MAX_READINGS_PER_SAMPLE;
    }
    for (int r = 0; r < s.getReadingsCount(); r++) {
      Reading reading = s.getReadings(r);
      String field = at + ".readings[" + r + "]";
      if (!Double.isFinite(reading.getValue())) {
        return field + ".value must be a finite number, got " + reading.getValue();
      }
      if (reading.getName().length() > MAX_ID || reading.getUnit().length() > 16) {
        return field + " name or unit too long";
      }
    }
    return null;
  }

  /** Null when the command ack is acceptable. */
  static Status ack(CommandAck a) {
    String p;
    if ((p = idProblem("command_ack.command_id", a.getCommandId())) != null
        || (p = range("command_ack.applied_power_w", a.getAppliedPowerW(), 0, MAX_RIG_POWER_W, "W"))
            != null
        || (p = text("command_ack.reason", a.getReason())) != null) {
      return Status.INVALID_ARGUMENT.withDescription(p);
    }
    return null;
  }

  /** Null when the command result is acceptable. */
  static Status result(CommandResult r) {
    String p;
    if ((p = idProblem("command_result.command_id", r.getCommandId())) != null
        || (p =
                range(
                    "command_result.measured_power_w",
                    r.getMeasuredPowerW(),
                    0,
                    MAX_RIG_POWER_W,
                    "W"))
            != null
        || (p =
                range(
                    "command_result.applied_power_w",
                    r.getAppliedPowerW(),
                    0,
                    MAX_RIG_POWER_W,
                    "W"))
            != null
        || (p = text("command_result.detail", r.getDetail())) != null) {
      return Status.INVALID_ARGUMENT.withDescription(p);
    }
    return null;
  }

  /**
   * Null when the alarm is acceptable (an empty alarm id is allowed: such alarms are not stored).
   */
  static Status alarm(Alarm a) {
    String p = null;
    if (!a.getAlarmId().isEmpty()) {
      p = idProblem("alarm.alarm_id", a.getAlarmId());
    }
    if (p == null && a.getCode().length() > MAX_ID) {
      p = "alarm.code longer than " + MAX_ID + " characters";
    }
    if (p == null) {
      p = text("alarm.message", a.getMessage());
    }
    return p == null ? null : Status.INVALID_ARGUMENT.withDescription(p);
  }

  private static String range(String field, double v, double min, double max, String unit) {
    if (!Double.isFinite(v) || v < min || v > max) {
      return field + " must be a finite number in " + min + ".." + max + " " + unit + ", got " + v;
    }
    return null;
  }

  private static String text(String field, String v) {
    return v.length() > MAX_TEXT ? field + " longer than " + MAX_TEXT + " characters" : null;
  }

  private static String time(String field, Timestamp ts, Instant now) {
    if (ts.getNanos() < 0 || ts.getNanos() > 999_999_999) {
      return field + " has nanos out of range";
    }
    Instant t = Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    if (t.isBefore(EARLIEST) || t.isAfter(now.plus(MAX_CLOCK_AHEAD))) {
      return field + " " + t + " is not plausible (controller time " + now + ")";
    }
    return null;
  }
}
