package io.flexrig.core.economics;

import static io.flexrig.core.economics.EconomicsFixtures.JAN_USD_PER_TH_HOUR;
import static io.flexrig.core.economics.EconomicsFixtures.strike;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.core.economics.CurtailmentAdvice.Action;
import io.flexrig.core.profile.RigKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand figures use the January 2026 hashprice, h = 0.00159499 USD per TH/s per hour. A break-even
 * price is revenue over (run power - sleep power).
 */
class StrikePriceTest {

  @Test
  void olderMinerCurtailsAtALowerPriceThanTheS21() throws Exception {
    StrikePrice s19 = strike("antminer-s19j-pro");
    StrikePrice s21 = strike("antminer-s21");

    // S19j Pro nameplate: 104 h / 3.043 kW = 0.054512; best at 1500 W: 62 h / 1.475 = 0.067044.
    assertThat(s19.nameplateBreakEvenUsdPerKwh()).isCloseTo(0.054512, within(1e-6));
    assertThat(s19.mostEfficientW()).isEqualTo(1500);
    assertThat(s19.sleepAboveUsdPerKwh()).isCloseTo(0.067044, within(1e-6));
    // S21 nameplate: 200 h / 3.470 = 0.091930; best at 1800 W: 118 h / 1.770 = 0.106333.
    assertThat(s21.nameplateBreakEvenUsdPerKwh()).isCloseTo(0.091930, within(1e-6));
    assertThat(s21.mostEfficientW()).isEqualTo(1800);
    assertThat(s21.sleepAboveUsdPerKwh()).isCloseTo(0.106333, within(1e-6));

    assertThat(s19.sleepAboveUsdPerKwh()).isLessThan(s21.nameplateBreakEvenUsdPerKwh());
    assertThat(s19.reduceAboveUsdPerKwh()).isLessThan(s21.reduceAboveUsdPerKwh());
  }

  @Test
  void breakEvenAgainstSleepIsJustAboveTheGrossBreakEven() throws Exception {
    StrikePrice s21 = strike("antminer-s21");
    BreakEvenPowerPrice gross =
        BreakEvenPowerPrice.atNameplate(s21.rig().profile(), EconomicsFixtures.january());

    // 200 h / 3.5 kW = 0.091142 against 0.091930: the 30 W sleep draw is not saved by sleeping.
    assertThat(gross.usdPerKwh()).isCloseTo(0.091142, within(1e-6));
    assertThat(s21.nameplateBreakEvenUsdPerKwh())
        .isCloseTo(gross.usdPerKwh() * 3500 / 3470, within(1e-12));
  }

  @Test
  void ladderStepsDownTheCurveThenSleeps() throws Exception {
    // S21 crossings, each the lowest price at which the next lower line overtakes the current:
    //   3500 -> 3000: 22 h / 0.5 kW = 0.070180
    //   3000 -> 2400: 28 h / 0.6 kW = 0.074433
    //   2400 -> 1800: 32 h / 0.6 kW = 0.085066
    //   1800 -> sleep: 118 h / 1.77 kW = 0.106333
    List<StrikePrice.Step> ladder = strike("antminer-s21").ladder();

    assertThat(ladder)
        .extracting(StrikePrice.Step::powerW)
        .containsExactly(3500.0, 3000.0, 2400.0, 1800.0, 30.0);
    assertThat(ladder.getFirst().aboveUsdPerKwh()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(ladder.get(1).aboveUsdPerKwh())
        .isCloseTo(22 * JAN_USD_PER_TH_HOUR / 0.5, within(1e-9));
    assertThat(ladder.get(2).aboveUsdPerKwh()).isCloseTo(0.074433, within(1e-6));
    assertThat(ladder.get(3).aboveUsdPerKwh()).isCloseTo(0.085066, within(1e-6));
    assertThat(ladder.getLast().asleep()).isTrue();
    assertThat(ladder.getLast().aboveUsdPerKwh()).isCloseTo(0.106333, within(1e-6));
  }

  @Test
  void ladderAgreesWithTheAdviceAtEveryPrice() throws Exception {
    for (var id : List.of("antminer-s19j-pro", "antminer-s21", "whatsminer-m50s", "avalon-a1366")) {
      StrikePrice s = strike(id);
      List<StrikePrice.Step> ladder = s.ladder();
      for (int cents10 = 0; cents10 <= 150; cents10++) {
        double price = cents10 / 1000.0;
        StrikePrice.Step rung = ladder.getFirst();
        for (StrikePrice.Step step : ladder) {
          if (price > step.aboveUsdPerKwh()) {
            rung = step;
          }
        }
        assertThat(s.optimalPowerW(price)).as(id + " at " + price).isEqualTo(rung.powerW());
      }
    }
  }

  @Test
  void atFourCentsEveryAsicKeepsHashingAtAProfit() throws Exception {
    List<CurtailmentAdvice> advice = new ArrayList<>();
    for (var p : EconomicsFixtures.catalog().all()) {
      if (p.kind() == RigKind.ASIC_MINER) {
        advice.add(
            StrikePrice.of(RigEconomics.mining(p, EconomicsFixtures.january())).advise(0.04));
      }
    }

    assertThat(advice)
        .hasSize(4)
        .allSatisfy(
            a -> {
              assertThat(a.running()).isTrue();
              assertThat(a.marginUsdPerHour()).isPositive();
            });
    // S21, M50S and A1366 run at nameplate: their last segment below nameplate still earns more
    // than 0.04 per kWh (S21 0.0702, M50S 12 h / 0.476 = 0.04021, A1366 11 h / 0.35 = 0.05013).
    assertThat(advice)
        .filteredOn(a -> !a.profileId().equals("antminer-s19j-pro"))
        .extracting(CurtailmentAdvice::action)
        .containsOnly(Action.RUN);
    // The S19j Pro's last 568 W earn only 12 h / 0.568 = 0.03370 per kWh: it hashes on, but at
    // 2500 W: 92 h - 2.5 * 0.04 = 0.046739 USD/h beats 104 h - 3.068 * 0.04 = 0.043159 at stock.
    CurtailmentAdvice s19 =
        advice.stream()
            .filter(a -> a.profileId().equals("antminer-s19j-pro"))
            .findFirst()
            .orElseThrow();
    assertThat(s19.action()).isEqualTo(Action.REDUCE);
    assertThat(s19.powerW()).isEqualTo(2500);
    assertThat(s19.marginUsdPerHour()).isCloseTo(0.046739, within(1e-6));
    assertThat(s19.runMarginUsdPerHour()).isCloseTo(0.043159, within(1e-6));
  }

  @Test
  void atTenCentsOlderMinersSleepWhileTheS21StillEarnsUnderclocked() throws Exception {
    CurtailmentAdvice s19 = strike("antminer-s19j-pro").advise(0.10);
    CurtailmentAdvice m50s = strike("whatsminer-m50s").advise(0.10);
    CurtailmentAdvice s21 = strike("antminer-s21").advise(0.10);

    assertThat(s19.action()).isEqualTo(Action.SLEEP);
    // Best S19j Pro point, 1500 W: 62 h - 0.15 = -0.051111 USD/h; asleep 25 W: -0.0025 USD/h.
    assertThat(s19.reduceMarginUsdPerHour())
        .hasValueSatisfying(m -> assertThat(m).isCloseTo(-0.051111, within(1e-6)));
    assertThat(s19.marginUsdPerHour()).isCloseTo(-0.0025, within(1e-12));
    assertThat(s19.powerW()).isEqualTo(25);
    // M50S at 1700 W: 80 h - 0.17 = -0.042401 USD/h; asleep 20 W: -0.002 USD/h.
    assertThat(m50s.action()).isEqualTo(Action.SLEEP);
    assertThat(m50s.reduceMarginUsdPerHour())
        .hasValueSatisfying(m -> assertThat(m).isCloseTo(-0.042401, within(1e-6)));
    // S21 at 1800 W: 118 h - 0.18 = +0.008209 USD/h, better than stock (200 h - 0.35 = -0.031001)
    // and than sleeping (-0.003).
    assertThat(s21.action()).isEqualTo(Action.REDUCE);
    assertThat(s21.powerW()).isEqualTo(1800);
    assertThat(s21.marginUsdPerHour()).isCloseTo(0.008209, within(1e-6));
    assertThat(s21.runMarginUsdPerHour()).isCloseTo(-0.031001, within(1e-6));
  }

  @Test
  void priceSpikeSendsTheS21ToSleepAndBackToWork() throws Exception {
    // Seeded 5-minute series in USD/MWh: 32 38 65 | 140 410 1250 3800 5000 2100 620 150 | 80 | 41
    // 35.
    // S21 rungs: RUN up to 0.0702, 2400 W in 0.0744..0.0851, SLEEP above 0.1063 USD/kWh.
    RealTimePowerPrice spike = EconomicsFixtures.seeds().realTimeSpike();
    StrikePrice s21 = strike("antminer-s21");
    Instant start = spike.intervals().getFirst().start();

    List<Action> actions = new ArrayList<>();
    List<Double> powers = new ArrayList<>();
    for (int i = 0; i < spike.intervals().size(); i++) {
      CurtailmentAdvice a = s21.advise(spike, start.plus(Duration.ofMinutes(5L * i + 2)));
      actions.add(a.action());
      powers.add(a.powerW());
    }

    assertThat(actions)
        .containsExactly(
            Action.RUN,
            Action.RUN,
            Action.RUN,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.SLEEP,
            Action.REDUCE,
            Action.RUN,
            Action.RUN);
    assertThat(powers.get(11)).isEqualTo(2400);
    // At the 5000 USD/MWh cap sleeping costs 0.03 kW * 5 = 0.15 USD/h, running 17.18 USD/h net.
    CurtailmentAdvice atCap = s21.advise(5.0);
    assertThat(atCap.sleepMarginUsdPerHour()).isCloseTo(-0.15, within(1e-12));
    assertThat(atCap.runMarginUsdPerHour())
        .isCloseTo(200 * JAN_USD_PER_TH_HOUR - 17.5, within(1e-9));
    // After the series the fallback (the fixed industrial 0.048) applies: RUN.
    assertThat(s21.advise(spike, start.plus(Duration.ofHours(2))).action()).isEqualTo(Action.RUN);
  }

  @Test
  void timeOfUseOnPeakSleepsMinersThatRunOffPeak() throws Exception {
    TimeOfUsePowerPrice tou = EconomicsFixtures.seeds().timeOfUse();
    Instant summerOnPeak = Instant.parse("2026-07-15T20:00:00Z"); // Wed 15:00 CDT, 0.125
    Instant winterOnPeak = Instant.parse("2026-01-14T21:00:00Z"); // Wed 15:00 CST, 0.078
    Instant shoulder = Instant.parse("2026-07-15T15:00:00Z"); // Wed 10:00 CDT, 0.052
    Instant offPeak = Instant.parse("2026-07-15T08:00:00Z"); // Wed 03:00 CDT, 0.036
    StrikePrice s21 = strike("antminer-s21");
    StrikePrice s19 = strike("antminer-s19j-pro");

    // S21: 0.125 > 0.1063 sleeps; 0.078 is in its 2400 W rung; 0.036 < 0.0702 runs.
    assertThat(s21.advise(tou, summerOnPeak).action()).isEqualTo(Action.SLEEP);
    assertThat(s21.advise(tou, winterOnPeak).powerW()).isEqualTo(2400);
    assertThat(s21.advise(tou, offPeak).action()).isEqualTo(Action.RUN);
    // S19j Pro rungs: 2500 W above 0.0337, 2000 W above 0.0447, 1500 W above 0.0510, sleep above
    // 0.0670. On-peak 0.078 sleeps; shoulder 0.052 holds 1500 W; off-peak 0.036 holds 2500 W.
    assertThat(s19.advise(tou, winterOnPeak).action()).isEqualTo(Action.SLEEP);
    assertThat(s19.advise(tou, shoulder).powerW()).isEqualTo(1500);
    assertThat(s19.advise(tou, offPeak).powerW()).isEqualTo(2500);
  }

  @Test
  void gpuNodeOnlyCurtailsAtPricesFarAboveAnyMiner() throws Exception {
    AiRevenue h100Rate = EconomicsFixtures.seeds().aiRevenue("hgx-h100-8x");
    StrikePrice h100 =
        StrikePrice.of(RigEconomics.ai(EconomicsFixtures.profile("hgx-h100-8x"), h100Rate));

    // 2.00 USD/GPU-h * 0.8 * 8 = 12.8 USD/h over (10.2 - 2.0) kW = 1.560976 USD/kWh at stock.
    assertThat(h100.nameplateBreakEvenUsdPerKwh()).isCloseTo(12.8 / 8.2, within(1e-12));
    // Its last 1.8 kW earn 6 % of 12.8 USD/h: 0.768 / 1.8 = 0.4267 USD/kWh, so at 0.30 it runs
    // at stock and at 0.50 it holds 8400 W (12.032 - 4.2 = 7.832 > 12.8 - 5.1 = 7.7 USD/h).
    assertThat(h100.advise(0.3).action()).isEqualTo(Action.RUN);
    assertThat(h100.advise(0.5).powerW()).isEqualTo(8400);
    assertThat(h100.advise(0.5).marginUsdPerHour()).isCloseTo(7.832, within(1e-9));
    assertThat(h100.advise(5.0).action()).isEqualTo(Action.SLEEP);
  }
}
