package io.flexrig.agent.sampler;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rig at one instant, assembled from the latest reading of every source. Input power is taken
 * from the best source present, by quality first and then by {@link #POWER_PRIORITY}: the PDU
 * outlet measures the wall directly; the DC shunt monitor is converted with the PSU's efficiency;
 * the miner's own figure is an estimate of its firmware.
 */
public record RigSnapshot(
    Instant sampledAt,
    Measurement powerW,
    Measurement hashrateThs,
    Measurement chipTempMaxC,
    Measurement gridFrequencyHz,
    List<Reading> readings) {

  public static final String OUTLET_POWER = "outlet_power";
  public static final String DC_POWER = "dc_power";
  public static final String MINER_POWER = "miner.power";
  public static final String HASHRATE = "miner.hashrate_5s";
  public static final String CHIP_TEMP_MAX = "miner.chip_temp_max";
  public static final String GRID_FREQUENCY = "grid_frequency";

  /** Readings that measure the rig's input power, most direct first. */
  public static final List<String> POWER_PRIORITY = List.of(OUTLET_POWER, DC_POWER, MINER_POWER);

  public RigSnapshot {
    readings = List.copyOf(readings);
  }

  /** Assembles a snapshot at {@code now}, degrading readings that went stale. */
  public static RigSnapshot assemble(Collection<Reading> latest, Instant now, Staleness staleness) {
    List<Reading> current = new ArrayList<>(latest.size());
    for (Reading r : latest) {
      current.add(staleness.degrade(r, now));
    }
    return new RigSnapshot(
        now,
        best(current, POWER_PRIORITY),
        best(current, List.of(HASHRATE)),
        best(current, List.of(CHIP_TEMP_MAX)),
        best(current, List.of(GRID_FREQUENCY)),
        current);
  }

  private static Measurement best(List<Reading> readings, List<String> priority) {
    for (Quality wanted : new Quality[] {Quality.GOOD, Quality.UNCERTAIN}) {
      for (String name : priority) {
        for (Reading r : readings) {
          if (r.name().equals(name) && r.quality() == wanted && Double.isFinite(r.value())) {
            return new Measurement(r.value(), r.quality(), r.name());
          }
        }
      }
    }
    for (String name : priority) {
      for (Reading r : readings) {
        if (r.name().equals(name)) {
          return new Measurement(r.value(), Quality.BAD, r.name());
        }
      }
    }
    return Measurement.NONE;
  }
}
