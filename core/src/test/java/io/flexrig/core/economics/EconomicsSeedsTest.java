package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class EconomicsSeedsTest {

  @Test
  void repositorySeedsLoadWithTheirAssumptions() throws Exception {
    EconomicsSeeds seeds = EconomicsFixtures.seeds();

    assertThat(seeds.fixedIndustrial().usdPerKwh()).isEqualTo(0.048);
    assertThat(seeds.timeOfUse().zone()).isEqualTo(ZoneId.of("America/Chicago"));
    assertThat(seeds.timeOfUse().periods()).hasSize(4);
    assertThat(seeds.realTimeSpike().intervals()).hasSize(14);
    assertThat(seeds.realTimeSpike().intervals().get(7).usdPerKwh()).isCloseTo(5.0, within(1e-12));
    assertThat(seeds.realTimeSpike().intervals().getFirst().duration())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(seeds.aiRevenue("hgx-h100-8x").expectedUsdPerGpuHour())
        .isCloseTo(1.6, within(1e-12));
    assertThat(seeds.aiRevenue("gpu-rig-8x-rtx4090").expectedUsdPerGpuHour())
        .isCloseTo(0.195, within(1e-12));
    assertThat(seeds.fourCp().transmissionUsdPerKwYear()).isEqualTo(54);
    assertThat(seeds.fourCp().topIntervalsPerMonth()).isEqualTo(8);
    assertThat(seeds.switching().minHold()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void packagedCopyMatchesTheRepositoryFile() throws Exception {
    EconomicsSeeds packaged = EconomicsSeeds.builtIn();
    EconomicsSeeds repo = EconomicsFixtures.seeds();

    assertThat(packaged.fixedIndustrial()).isEqualTo(repo.fixedIndustrial());
    assertThat(packaged.timeOfUse()).isEqualTo(repo.timeOfUse());
    assertThat(packaged.realTimeSpike()).isEqualTo(repo.realTimeSpike());
    assertThat(packaged.aiRevenue()).isEqualTo(repo.aiRevenue());
  }

  @Test
  void seedFileSaysItsFiguresAreAssumptions() throws Exception {
    String text = Files.readString(SeedScenarioTest.seedsFile().resolveSibling("economics.yaml"));

    assertThat(text).contains("ASSUMPTION");
  }

  @Test
  void everyGpuProfileHasAnAiRevenueAssumption() throws Exception {
    EconomicsSeeds seeds = EconomicsFixtures.seeds();
    for (var p : EconomicsFixtures.catalog().all()) {
      if (p.nameplate().gpuCount() > 0) {
        assertThat(seeds.aiRevenue()).as(p.id()).containsKey(p.id());
      }
    }
  }

  @Test
  void mistakesNameTheFieldPath() throws Exception {
    String good = Files.readString(SeedScenarioTest.seedsFile().resolveSibling("economics.yaml"));

    assertThatThrownBy(() -> load(good.replace("utilisation: 0.80", "utilisation: 1.80")))
        .hasMessageContaining("test.yaml: ai_revenue.hgx-h100-8x")
        .hasMessageContaining("utilisation");
    assertThatThrownBy(
            () ->
                load(
                    good.replace(
                        "\"14:00\", to: \"19:00\", usd_per_kwh: 0.125",
                        "\"2pm\", to: \"19:00\", usd_per_kwh: 0.125")))
        .hasMessageContaining("power_prices.time_of_use.periods[0].from")
        .hasMessageContaining("2pm");
    assertThatThrownBy(() -> load(good.replace("zone: America/Chicago", "zone: Mars/Olympus")))
        .hasMessageContaining("power_prices.time_of_use.zone");
    assertThatThrownBy(() -> load(good.replace("  min_hold_minutes: 60", "  min_hold_mins: 60")))
        .hasMessageContaining("workload_switching.min_hold_mins: unknown key");
    assertThatThrownBy(() -> load(good.replace("months: [6, 7, 8, 9]", "months: [6, 13]")))
        .hasMessageContaining("periods[0].months[1]");
  }

  @Test
  void realTimeSeriesStartsAtTheSeededInstant() throws Exception {
    assertThat(EconomicsFixtures.seeds().realTimeSpike().intervals().getFirst().start())
        .isEqualTo(Instant.parse("2026-08-20T19:00:00Z"));
  }

  private static EconomicsSeeds load(String yaml) {
    return EconomicsSeeds.load("test.yaml", new StringReader(yaml));
  }
}
