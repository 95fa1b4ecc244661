package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.YearMonth;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HashpriceTest {
  private static NetworkSnapshot nov;
  private static NetworkSnapshot jan;

  @BeforeAll
  static void load() throws Exception {
    SeedScenario seeds = SeedScenario.load(SeedScenarioTest.seedsFile());
    nov = seeds.snapshot(YearMonth.of(2025, 11));
    jan = seeds.snapshot(YearMonth.of(2026, 1));
  }

  @Test
  void oneThsFindsDifficultyDependentShareOfABlockPerDay() {
    // At difficulty 1 a block takes 2^32 hashes; one TH/s does 86400e12 hashes a day.
    assertThat(Hashprice.expectedBlocksPerThDay(1)).isEqualTo(86_400e12 / 4_294_967_296.0);
    assertThat(Hashprice.expectedBlocksPerThDay(146.5e12)).isCloseTo(1.3731e-7, within(1e-11));
  }

  @Test
  void januaryHashpriceIsNearFourCentsPerThPerDay() {
    Hashprice hp = jan.hashprice();

    assertThat(hp.usdPerThDay()).isCloseTo(0.04, Percentage.withPercentage(10));
    assertThat(hp.usdPerPhDay()).isCloseTo(38.3, within(0.1));
  }

  @Test
  void hashpriceFromDifficultyAgreesWithRevenuePerHashrate() {
    for (NetworkSnapshot s : new NetworkSnapshot[] {nov, jan}) {
      Hashprice observed =
          Hashprice.fromRevenue(s.dailyMinerRevenueUsdMid(), s.networkHashrateZhs());

      assertThat(s.hashprice().usdPerThDay())
          .as(s.period().toString())
          .isCloseTo(observed.usdPerThDay(), Percentage.withPercentage(10));
    }
  }

  @Test
  void hashpriceFellFromNovemberToJanuary() {
    double drop = 1 - jan.hashprice().usdPerThDay() / nov.hashprice().usdPerThDay();

    assertThat(jan.hashprice()).isLessThan(nov.hashprice());
    assertThat(drop).isBetween(0.03, 0.10);
  }

  @Test
  void revenueScalesWithHashrate() {
    Hashprice hp = new Hashprice(0.04);

    assertThat(hp.dailyRevenueUsd(200)).isCloseTo(8.0, within(1e-9));
  }
}
