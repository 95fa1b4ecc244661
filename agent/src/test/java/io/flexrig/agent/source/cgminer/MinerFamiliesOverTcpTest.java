package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.Fixtures;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The cgminer source against each family's recorded replies over a real TCP socket. */
@Tag("integration")
class MinerFamiliesOverTcpTest {

  private static CgminerSource source(RecordedMinerServer server) {
    return new CgminerSource(
        "miner_api",
        new CgminerClient(
            new CgminerAddress("127.0.0.1", server.port()),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2)),
        Clock.systemUTC());
  }

  private static Map<String, Reading> byName(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::name, r -> r, (a, b) -> b));
  }

  @Test
  void whatsminerIsReadFromSummaryAndEdevsWithoutAskingForStatsOrPower() throws Exception {
    try (RecordedMinerServer miner =
        new RecordedMinerServer(
            Map.of(
                "summary", Fixtures.text("miners/whatsminer-m50s-summary.json"),
                "edevs", Fixtures.text("miners/whatsminer-m50s-edevs.json")))) {
      CgminerSource source = source(miner);
      source.sample(); // the summary shows btminer before boards are asked for
      Map<String, Reading> r = byName(source.sample());

      assertThat(r.get("miner.power").value()).isEqualTo(3418);
      assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(88.5);
      assertThat(r.get("miner.chip_temp_max").quality()).isEqualTo(Quality.GOOD);
      assertThat(miner.asked()).containsExactly("summary", "edevs", "summary", "edevs");
    }
  }

  @Test
  void avalonIsReadFromSummaryAndItsModuleStatusString() throws Exception {
    try (RecordedMinerServer miner =
        new RecordedMinerServer(
            Map.of(
                "summary", Fixtures.text("miners/avalon-a1366-summary.json"),
                "stats", Fixtures.text("miners/avalon-a1366-stats.json")))) {
      CgminerSource source = source(miner);
      Map<String, Reading> r = byName(source.sample());
      assertThat(r.get("miner.power").value()).isEqualTo(3426);
      assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(82);
      assertThat(r.get("miner.hashrate_1m").value()).isEqualTo(130.00234567);

      source.sample();
      assertThat(miner.asked())
          .as("power refused once, not asked again")
          .containsExactly("summary", "stats", "power", "summary", "stats");
    }
  }

  @Test
  void luxosGivesPowerFromItsPowerCommand() throws Exception {
    try (RecordedMinerServer miner =
        new RecordedMinerServer(
            Map.of(
                "summary", Fixtures.text("miners/luxos-summary.json"),
                "stats", Fixtures.text("miners/luxos-stats.json"),
                "power", Fixtures.text("cgminer/power-luxos.json")))) {
      Map<String, Reading> r = byName(source(miner).sample());
      assertThat(r.get("miner.power").value()).isEqualTo(3050);
      assertThat(r.get("miner.hashrate_5s").value()).isEqualTo(99.01234);
      assertThat(r.get("miner.chain3.chip_temp_max").value()).isEqualTo(73);
    }
  }
}
