package io.flexrig.core.economics;

import static io.flexrig.core.economics.EconomicsFixtures.JAN_USD_PER_TH_HOUR;
import static io.flexrig.core.economics.EconomicsFixtures.miner;
import static io.flexrig.core.economics.EconomicsFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RigEconomicsTest {
  /** 0.048 USD per TH/s per day is exactly 0.002 USD per TH/s per hour: easy hand sums. */
  private static final Hashprice ROUND = new Hashprice(0.048);

  @Test
  void minerRevenueCostAndMarginPerHour() throws Exception {
    RigEconomics s19 = RigEconomics.mining(profile("antminer-s19j-pro"), ROUND);

    OperatingPoint stock = s19.atNameplate(0.05);

    // 104 TH/s * 0.002 = 0.208 USD/h; 3.068 kW * 0.05 = 0.1534 USD/h; margin 0.0546 USD/h.
    assertThat(stock.powerW()).isEqualTo(3068);
    assertThat(stock.revenueUsdPerHour()).isCloseTo(0.208, within(1e-12));
    assertThat(stock.costUsdPerHour()).isCloseTo(0.1534, within(1e-12));
    assertThat(stock.marginUsdPerHour()).isCloseTo(0.0546, within(1e-12));
    // Between curve points the hashrate is interpolated: 2250 W is half-way 78..92 = 85 TH/s.
    assertThat(s19.at(2250, 0.05).output()).isCloseTo(85, within(1e-9));
  }

  @Test
  void sleepingCostsItsSleepPowerAndEarnsNothing() throws Exception {
    RigEconomics s19 = RigEconomics.mining(profile("antminer-s19j-pro"), ROUND);

    // 25 W asleep at 0.05 USD/kWh: 0.00125 USD/h.
    OperatingPoint asleep = s19.asleep(0.05);
    assertThat(asleep.revenueUsdPerHour()).isZero();
    assertThat(asleep.marginUsdPerHour()).isCloseTo(-0.00125, within(1e-12));
  }

  @Test
  void marginLostPerKwShedIsRevenueGivenUpPerKwMinusThePrice() throws Exception {
    RigEconomics s19 = RigEconomics.mining(profile("antminer-s19j-pro"), ROUND);

    // 2500 -> 2000 W gives up 14 TH/s = 0.028 USD/h for 0.5 kW: 0.056 - 0.05 = 0.006 USD/kWh.
    assertThat(s19.marginLostPerKwShed(2500, 2000, 0.05)).isCloseTo(0.006, within(1e-12));
    // 3068 -> 2500 W gives up 12 TH/s = 0.024 USD/h for 0.568 kW: 0.042254 - 0.05 < 0, so the
    // last kWs before nameplate lose money at this price and shedding them gains.
    assertThat(s19.marginLostPerKwShed(3068, 2500, 0.05))
        .isCloseTo(0.024 / 0.568 - 0.05, within(1e-12));
    // Sleeping from nameplate: (0.0546 + 0.00125) / 3.043 kW = 0.018356 USD/kWh.
    assertThat(s19.marginLostPerKwSleeping(3068, 0.05)).isCloseTo(0.05585 / 3.043, within(1e-12));
  }

  @Test
  void worseJoulesPerThLoseLessMarginPerKwShed() throws Exception {
    // With the January hashprice (0.00159499 USD per TH/s per hour) at 0.04 USD/kWh, sleeping from
    // nameplate loses revenue per kW above sleep minus the price:
    //   S21    200 * 0.00159499 / 3.470 - 0.04 = 0.05193
    //   A1366  130 * 0.00159499 / 3.225 - 0.04 = 0.02429
    //   M50S   126 * 0.00159499 / 3.256 - 0.04 = 0.02172
    //   S19jP  104 * 0.00159499 / 3.043 - 0.04 = 0.01451
    List<String> ids =
        List.of("antminer-s21", "avalon-a1366", "whatsminer-m50s", "antminer-s19j-pro");
    List<RigEconomics> rigs = new ArrayList<>();
    for (String id : ids) {
      rigs.add(miner(id));
    }

    List<RigEconomics> meritOrder =
        rigs.stream()
            .sorted(
                Comparator.comparingDouble(r -> r.marginLostPerKwSleeping(r.nameplateW(), 0.04)))
            .toList();

    assertThat(meritOrder)
        .extracting(r -> r.profile().id())
        .containsExactly("antminer-s19j-pro", "whatsminer-m50s", "avalon-a1366", "antminer-s21");
    assertThat(meritOrder)
        .extracting(r -> r.profile().nameplate().efficiencyJPerTh())
        .isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(miner("antminer-s19j-pro").marginLostPerKwSleeping(3068, 0.04))
        .isCloseTo(104 * JAN_USD_PER_TH_HOUR / 3.043 - 0.04, within(1e-9))
        .isCloseTo(0.01451, within(1e-5));
    assertThat(miner("antminer-s21").marginLostPerKwSleeping(3500, 0.04))
        .isCloseTo(0.05193, within(1e-5));
  }

  @Test
  void partialSheddingAlongTheCurveAlsoCostsLessOnTheOlderMiner() throws Exception {
    // First 500 W or so below nameplate at 0.04 USD/kWh:
    //   S19jP 3068 -> 2500: 12 TH/s * 0.00159499 / 0.568 kW - 0.04 = -0.00630 (it gains)
    //   S21   3500 -> 3000: 22 TH/s * 0.00159499 / 0.500 kW - 0.04 = +0.03018
    double s19 = miner("antminer-s19j-pro").marginLostPerKwShed(3068, 2500, 0.04);
    double s21 = miner("antminer-s21").marginLostPerKwShed(3500, 3000, 0.04);

    assertThat(s19).isCloseTo(-0.00630, within(1e-5));
    assertThat(s21).isCloseTo(0.03018, within(1e-5));
  }

  @Test
  void gpuRevenueIsRatePerGpuHourTimesGpusTimesRelativeOutput() throws Exception {
    AiRevenue seeded = EconomicsFixtures.seeds().aiRevenue("gpu-rig-8x-rtx4090");
    RigEconomics rig = RigEconomics.ai(profile("gpu-rig-8x-rtx4090"), seeded);

    // 0.30 USD/GPU-h * 0.65 sold * 8 GPUs = 1.56 USD/h at stock; 4.2 kW * 0.05 = 0.21 USD/h.
    assertThat(rig.atNameplate(0.05).revenueUsdPerHour()).isCloseTo(1.56, within(1e-12));
    assertThat(rig.atNameplate(0.05).marginUsdPerHour()).isCloseTo(1.35, within(1e-12));
    // At a 2500 W power limit the rig keeps 78 % of its throughput: 1.2168 USD/h.
    assertThat(rig.at(2500, 0.05).revenueUsdPerHour()).isCloseTo(1.2168, within(1e-12));
    // Its reduce floor is the GPU power limit's minimum.
    assertThat(rig.lowestRunW()).isEqualTo(1650);
  }

  @Test
  void minersAndGpuMachinesAreNotConfused() throws Exception {
    assertThatThrownBy(() -> RigEconomics.mining(profile("hgx-h100-8x"), ROUND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not mine");
    assertThatThrownBy(() -> RigEconomics.ai(profile("antminer-s21"), new AiRevenue(2, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no GPUs");
    assertThatThrownBy(() -> miner("antminer-s21").at(900, 0.05))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("off the power curve");
  }

  @Test
  void runPowersSpanTheReduceRangeUpToNameplateHighestFirst() throws Exception {
    // The 3250 W overclock point is beyond nameplate and not offered.
    assertThat(miner("antminer-s19j-pro").runPowersW())
        .containsExactly(3068.0, 2500.0, 2000.0, 1500.0);
  }

  @Test
  void shedStepsWalkDownTheCurveThenSleepEachWithItsOwnCost() throws Exception {
    RigEconomics s19 = RigEconomics.mining(profile("antminer-s19j-pro"), ROUND);

    List<RigEconomics.ShedStep> steps = s19.shedSteps(3068, 0.05);

    // With 0.002 USD per TH/s-hour at 0.05 USD/kWh:
    //   3068 -> 2500: 0.024 / 0.568 - 0.05 = -0.007746
    //   2500 -> 2000: 0.028 / 0.5   - 0.05 =  0.006
    //   2000 -> 1500: 0.032 / 0.5   - 0.05 =  0.014
    //   1500 -> 25 (sleep): (0.124 - 0.075 + 0.00125) / 1.475 = 0.034068
    assertThat(steps)
        .extracting(RigEconomics.ShedStep::toW)
        .containsExactly(2500.0, 2000.0, 1500.0, 25.0);
    double[] expected = {0.024 / 0.568 - 0.05, 0.006, 0.014, 0.05025 / 1.475};
    for (int i = 0; i < expected.length; i++) {
      assertThat(steps.get(i).marginLostUsdPerKwh()).isCloseTo(expected[i], within(1e-12));
    }
    assertThat(steps.getLast().asleep()).isTrue();
    // Starting from a reduced power, the steps begin there.
    assertThat(s19.shedSteps(2200, 0.05))
        .extracting(RigEconomics.ShedStep::fromW)
        .containsExactly(2200.0, 2000.0, 1500.0);
  }

  @Test
  void rigWithoutAPowerTargetKnobOnlyRunsOrSleeps() throws Exception {
    HardwareProfile s21 = profile("antminer-s21");
    HardwareProfile sleepOnly =
        new HardwareProfile(
            s21.id(),
            s21.vendor(),
            s21.model(),
            s21.kind(),
            s21.nameplate(),
            s21.powerCurve(),
            s21.limits(),
            s21.thermal(),
            s21.sensors(),
            s21.workloads(),
            s21.curtailment().stream()
                .filter(c -> c.method() != CurtailmentMethodKind.POWER_TARGET)
                .toList(),
            s21.source());
    StrikePrice strike =
        StrikePrice.of(RigEconomics.mining(sleepOnly, EconomicsFixtures.january()));

    // Only stock or sleep: both strike prices are the nameplate break-even 0.091930.
    assertThat(strike.ladder()).extracting(StrikePrice.Step::powerW).containsExactly(3500.0, 30.0);
    assertThat(strike.reduceAboveUsdPerKwh()).isCloseTo(0.091930, within(1e-6));
    assertThat(strike.sleepAboveUsdPerKwh()).isCloseTo(0.091930, within(1e-6));
    assertThat(strike.advise(0.10).action()).isEqualTo(CurtailmentAdvice.Action.SLEEP);
    assertThat(strike.advise(0.10).reduce()).isEmpty();
  }
}
