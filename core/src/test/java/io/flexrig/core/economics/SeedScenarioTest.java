package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class SeedScenarioTest {

  static Path seedsFile() {
    String profiles = System.getProperty("flexrig.profiles.dir");
    Path root = profiles != null ? Path.of(profiles).getParent() : Path.of("..");
    return root.resolve("seeds").resolve("network.yaml");
  }

  @Test
  void seedHoldsTheTwoSnapshotsOfTheScenario() throws Exception {
    SeedScenario seeds = SeedScenario.load(seedsFile());

    NetworkSnapshot nov = seeds.snapshot(YearMonth.of(2025, 11));
    NetworkSnapshot jan = seeds.snapshot(YearMonth.of(2026, 1));
    assertThat(seeds.earliest()).isEqualTo(nov);
    assertThat(seeds.latest()).isEqualTo(jan);
    assertThat(nov.difficulty()).isEqualTo(156e12);
    assertThat(jan.difficulty()).isEqualTo(146.5e12);
    assertThat(jan.blockSubsidyBtc()).isEqualTo(3.125);
    assertThat(nov.dailyMinerRevenueUsdLow()).isEqualTo(40e6);
    assertThat(nov.dailyMinerRevenueUsdHigh()).isEqualTo(45e6);
    assertThat(jan.dailyMinerRevenueUsdLow()).isEqualTo(35e6);
    assertThat(jan.dailyMinerRevenueUsdHigh()).isEqualTo(40e6);
  }

  @Test
  void januaryHashrateIsBelowWhatItsDifficultyImpliesSoBlocksCameSlower() throws Exception {
    NetworkSnapshot jan = SeedScenario.load(seedsFile()).snapshot(YearMonth.of(2026, 1));

    assertThat(jan.difficultyImpliedHashrateZhs()).isCloseTo(1.049, within(0.001));
    assertThat(jan.networkHashrateZhs()).isLessThan(1.0);
    assertThat(jan.blocksPerDay()).isLessThan(144).isGreaterThan(130);
  }

  @Test
  void seedPriceIsTheOneItsRevenueImplies() throws Exception {
    for (NetworkSnapshot s : SeedScenario.load(seedsFile()).snapshots()) {
      double implied = s.dailyMinerRevenueUsdMid() / (s.blocksPerDay() * s.blockRewardBtc());
      assertThat(s.btcPriceUsd()).as(s.period().toString()).isCloseTo(implied, within(500.0));
    }
  }

  @Test
  void packagedCopyEqualsTheRepositoryFile() throws Exception {
    assertThat(SeedScenario.builtIn().snapshots())
        .isEqualTo(SeedScenario.load(seedsFile()).snapshots());
  }

  @Test
  void malformedSnapshotNamesItsField() {
    String yaml =
        """
        snapshots:
          - period: "2026-01"
            network_hashrate_zhs: lots
        """;

    assertThatThrownBy(() -> SeedScenario.load("seeds.yaml", new StringReader(yaml)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seeds.yaml: snapshots[0].network_hashrate_zhs: expected a number, got lots");
  }
}
