package io.flexrig.agent.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RigSnapshotTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final Staleness STALENESS = Staleness.forInterval(Duration.ofSeconds(1));

  private static Reading good(String name, double v) {
    return Reading.good(name, v, "W", NOW.minusMillis(200));
  }

  @Test
  void outletPowerWinsOverDcAndMinerPower() {
    RigSnapshot s =
        RigSnapshot.assemble(
            List.of(good("miner.power", 3000), good("dc_power", 3050), good("outlet_power", 3068)),
            NOW,
            STALENESS);

    assertThat(s.powerW()).isEqualTo(new Measurement(3068, Quality.GOOD, "outlet_power"));
  }

  @Test
  void dcPowerWinsOverMinerPowerWhenThereIsNoOutlet() {
    RigSnapshot s =
        RigSnapshot.assemble(
            List.of(good("miner.power", 3000), good("dc_power", 3050)), NOW, STALENESS);

    assertThat(s.powerW().source()).isEqualTo("dc_power");
    assertThat(s.powerW().value()).isEqualTo(3050);
  }

  @Test
  void aGoodLowerPrioritySourceBeatsABadOrStaleHigherOne() {
    RigSnapshot s =
        RigSnapshot.assemble(
            List.of(
                new Reading("outlet_power", 3068, "W", Quality.BAD, NOW),
                Reading.good("dc_power", 3050, "W", NOW.minusSeconds(5)),
                good("miner.power", 3000)),
            NOW,
            STALENESS);

    assertThat(s.powerW()).isEqualTo(new Measurement(3000, Quality.GOOD, "miner.power"));
  }

  @Test
  void staleReadingsDegradeToUncertainThenBad() {
    RigSnapshot s =
        RigSnapshot.assemble(
            List.of(
                Reading.good("outlet_power", 3068, "W", NOW.minusSeconds(5)),
                Reading.good("grid_frequency", 60.0, "Hz", NOW.minusSeconds(11))),
            NOW,
            STALENESS);

    assertThat(s.powerW()).isEqualTo(new Measurement(3068, Quality.UNCERTAIN, "outlet_power"));
    assertThat(s.gridFrequencyHz().quality()).isEqualTo(Quality.BAD);
    assertThat(s.readings())
        .filteredOn(r -> r.name().equals("grid_frequency"))
        .extracting(Reading::quality)
        .containsExactly(Quality.BAD);
  }

  @Test
  void hashrateChipTempAndFrequencyAreTakenByName() {
    RigSnapshot s =
        RigSnapshot.assemble(
            List.of(
                Reading.good("miner.hashrate_5s", 103.4, "TH/s", NOW),
                Reading.good("miner.chip_temp_max", 81, "C", NOW),
                Reading.good("grid_frequency", 59.98, "Hz", NOW)),
            NOW,
            STALENESS);

    assertThat(s.hashrateThs().value()).isEqualTo(103.4);
    assertThat(s.chipTempMaxC().value()).isEqualTo(81);
    assertThat(s.gridFrequencyHz().value()).isEqualTo(59.98);
    assertThat(s.powerW()).isEqualTo(Measurement.NONE);
    assertThat(s.readings()).hasSize(3);
  }
}
