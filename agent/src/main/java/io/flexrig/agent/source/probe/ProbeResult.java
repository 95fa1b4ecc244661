package io.flexrig.agent.source.probe;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.util.List;

/**
 * What the probe found for one sensor of the profile.
 *
 * @param role the sensor's role
 * @param address the address it was opened at (after the rig's overrides)
 * @param outcome OK, DEGRADED (opened, some readings not GOOD), FAILED or SKIPPED
 * @param readings what one sample gave (empty unless opened)
 * @param problem what went wrong, empty when OK
 * @param fix what the technician should check, empty when OK
 */
public record ProbeResult(
    String role,
    String address,
    Outcome outcome,
    List<Reading> readings,
    String problem,
    String fix) {

  /** The verdict for one sensor. */
  public enum Outcome {
    OK,
    DEGRADED,
    FAILED,
    SKIPPED
  }

  public ProbeResult {
    readings = List.copyOf(readings);
  }

  static ProbeResult of(String role, String address, List<Reading> readings) {
    List<Reading> notGood = readings.stream().filter(r -> r.quality() != Quality.GOOD).toList();
    if (readings.isEmpty()) {
      return new ProbeResult(
          role,
          address,
          Outcome.DEGRADED,
          readings,
          "opened, but one sample gave no readings",
          "sample again; a streaming source may need longer than the probe waits");
    }
    if (notGood.isEmpty()) {
      return new ProbeResult(role, address, Outcome.OK, readings, "", "");
    }
    return new ProbeResult(
        role,
        address,
        Outcome.DEGRADED,
        readings,
        notGood.size() + " of " + readings.size() + " readings not GOOD: " + names(notGood),
        "the device answers; check the sensors behind the BAD readings");
  }

  private static String names(List<Reading> readings) {
    return String.join(", ", readings.stream().limit(4).map(Reading::name).toList())
        + (readings.size() > 4 ? ", ..." : "");
  }
}
