package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.core.profile.RigKind;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BreakEvenPowerPriceTest {
  private static ProfileCatalog catalog;
  private static Hashprice january;

  @BeforeAll
  static void load() throws Exception {
    catalog = ProfileCatalog.builtIn();
    january =
        SeedScenario.load(SeedScenarioTest.seedsFile()).snapshot(YearMonth.of(2026, 1)).hashprice();
  }

  @Test
  void breakEvenIsRevenuePerDayOverEnergyPerDay() {
    // 200 TH/s at $0.04 earns $8/day; 3.5 kW for 24 h is 84 kWh.
    assertThat(BreakEvenPowerPrice.breakEvenUsdPerKwh(new Hashprice(0.04), 200, 3500))
        .isCloseTo(8.0 / 84, within(1e-12));
  }

  @Test
  void moreEfficientMinersAffordDearerPower() {
    List<BreakEvenPowerPrice> asics =
        catalog.all().stream()
            .filter(p -> p.kind() == RigKind.ASIC_MINER)
            .map(p -> BreakEvenPowerPrice.atNameplate(p, january))
            .sorted(Comparator.comparingDouble(BreakEvenPowerPrice::usdPerKwh).reversed())
            .toList();

    assertThat(asics)
        .extracting(BreakEvenPowerPrice::profileId)
        .containsExactly("antminer-s21", "avalon-a1366", "whatsminer-m50s", "antminer-s19j-pro");
    assertThat(asics).extracting(BreakEvenPowerPrice::joulesPerTh).isSorted();
    assertThat(asics.getFirst().usdPerKwh()).isCloseTo(0.091, within(0.001));
    assertThat(asics.getLast().usdPerKwh()).isCloseTo(0.054, within(0.001));
  }

  @Test
  void underclockedMinerBreaksEvenAtAHigherPrice() {
    HardwareProfile s19 = catalog.require("antminer-s19j-pro");

    BreakEvenPowerPrice stock = BreakEvenPowerPrice.atNameplate(s19, january);
    BreakEvenPowerPrice reduced = BreakEvenPowerPrice.atPower(s19, january, 2000);

    assertThat(reduced.hashrateThs()).isEqualTo(78);
    assertThat(reduced.usdPerKwh()).isGreaterThan(stock.usdPerKwh());
  }

  @Test
  void marginTurnsNegativeAboveTheBreakEvenPrice() {
    BreakEvenPowerPrice s21 =
        BreakEvenPowerPrice.atNameplate(catalog.require("antminer-s21"), january);

    assertThat(s21.dailyMarginUsd(s21.usdPerKwh())).isCloseTo(0, within(1e-9));
    assertThat(s21.dailyMarginUsd(0.05)).isPositive();
    assertThat(s21.dailyMarginUsd(0.12)).isNegative();
  }

  @Test
  void gpuMachinesAndPowersOffTheCurveAreRefused() {
    assertThatThrownBy(
            () -> BreakEvenPowerPrice.atNameplate(catalog.require("hgx-h100-8x"), january))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not mine");
    assertThatThrownBy(
            () -> BreakEvenPowerPrice.atPower(catalog.require("antminer-s21"), january, 900))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("off the power curve");
  }
}
