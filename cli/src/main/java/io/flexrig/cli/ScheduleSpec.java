package io.flexrig.cli;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.SetpointKind;
import io.flexrig.proto.v1.SetpointSchedule;
import io.flexrig.proto.v1.SetpointStep;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A setpoint schedule written on the command line: {@code WHEN=KW[,WHEN=KW...]}, where WHEN is an
 * ISO-8601 instant or {@code +DURATION} after the event start (e.g. {@code +0=800,+15m=600}).
 */
final class ScheduleSpec {

  private ScheduleSpec() {}

  /**
   * Parses a schedule.
   *
   * @param start the event start that {@code +DURATION} steps count from
   * @throws IllegalArgumentException naming the malformed step
   */
  static SetpointSchedule parse(String text, SetpointKind kind, Instant start) {
    SetpointSchedule.Builder b = SetpointSchedule.newBuilder().setKind(kind);
    if (text.isBlank()) {
      throw new IllegalArgumentException("a schedule needs at least one WHEN=KW step");
    }
    for (String part : text.split(",")) {
      String step = part.strip();
      int eq = step.indexOf('=');
      if (eq <= 0 || eq == step.length() - 1) {
        throw new IllegalArgumentException(
            "'" + step + "' is not WHEN=KW (WHEN: an ISO-8601 instant or +DURATION after start)");
      }
      String when = step.substring(0, eq).strip();
      Instant at;
      if (when.startsWith("+")) {
        String d = when.substring(1);
        at = d.equals("0") ? start : start.plus(HumanDuration.parse(d));
      } else {
        try {
          at = Instant.parse(when);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "'" + when + "' is neither an ISO-8601 instant nor +DURATION", e);
        }
      }
      double kw;
      try {
        kw = Double.parseDouble(step.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + step + "': KW is not a number", e);
      }
      b.addSteps(SetpointStep.newBuilder().setStartAt(timestamp(at)).setKw(kw));
    }
    return b.build();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
