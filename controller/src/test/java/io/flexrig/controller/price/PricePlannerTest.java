package io.flexrig.controller.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.LoadForecast;
import io.flexrig.core.economics.RealTimePowerPrice;
import io.flexrig.core.economics.StrikePrice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Strike-price curtailment and 4CP peak avoidance with the figures of {@code seeds/}: the latest
 * network snapshot's hashprice, the assumed AI rates, the real-time spike, the time-of-use tariff
 * and the 4CP rule.
 */
class PricePlannerTest {

  private static final EconomicsSeeds SEEDS = EconomicsSeeds.builtIn();
  private static final StrikeBook BOOK = StrikeBook.seeds();
  private final PricePlanner planner = new PricePlanner(0.05, Duration.ofMinutes(5));

  private static StrikePrice strike(String profileId) {
    return BOOK.of(profileId).orElseThrow();
  }

  /** A rig running normally with no recent change. */
  private static PricePlanner.Rig running(String profileId) {
    StrikePrice s = strike(profileId);
    return new PricePlanner.Rig(
        s,
        s.rig().nameplateW(),
        false,
        120,
        60,
        Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY);
  }

  private PriceDecision atSpikeInterval(String profileId, int interval) {
    RealTimePowerPrice spike = SEEDS.realTimeSpike();
    Instant at = spike.intervals().get(interval).start();
    return planner.decide(running(profileId), spike.usdPerKwhAt(at), false);
  }

  @Test
  void theRealTimeSpikeCurtailsEachModelOnlyAboveItsOwnBreakEven() {
    // 32 USD/MWh: below every strike, everybody runs.
    for (String model :
        List.of("antminer-s19j-pro", "antminer-s21", "gpu-rig-8x-rtx4090", "hgx-h100-8x")) {
      assertThat(atSpikeInterval(model, 0)).as(model).isInstanceOf(PriceDecision.Keep.class);
    }
    // 140 USD/MWh: every miner's sleep strike (S21 0.106) is passed; the RTX 4090 rig's top slice
    // earns 0.139 USD/kWh, within the 5 % band of the price, so it runs on, as does the H100.
    assertThat(atSpikeInterval("antminer-s19j-pro", 3)).isInstanceOf(PriceDecision.Sleep.class);
    assertThat(atSpikeInterval("antminer-s21", 3)).isInstanceOf(PriceDecision.Sleep.class);
    assertThat(atSpikeInterval("gpu-rig-8x-rtx4090", 3)).isInstanceOf(PriceDecision.Keep.class);
    assertThat(atSpikeInterval("hgx-h100-8x", 3)).isInstanceOf(PriceDecision.Keep.class);
    // 410 USD/MWh: the RTX 4090 rig holds 2500 W; the H100 (first strike 0.427) still runs.
    assertThat(atSpikeInterval("gpu-rig-8x-rtx4090", 4)).isEqualTo(new PriceDecision.Reduce(2500));
    assertThat(atSpikeInterval("hgx-h100-8x", 4)).isInstanceOf(PriceDecision.Keep.class);
    // 1,250 USD/MWh: the RTX 4090 sleeps, the H100 holds 6400 W; at the 5,000 cap it sleeps too.
    assertThat(atSpikeInterval("gpu-rig-8x-rtx4090", 5)).isInstanceOf(PriceDecision.Sleep.class);
    assertThat(atSpikeInterval("hgx-h100-8x", 5)).isEqualTo(new PriceDecision.Reduce(6400));
    assertThat(atSpikeInterval("hgx-h100-8x", 7)).isInstanceOf(PriceDecision.Sleep.class);
  }

  @Test
  void theTimeOfUseTariffReducesTheOldMinerOffPeakAndSleepsTheNewOneOnlyOnSummerPeak() {
    // Off-peak 0.036 USD/kWh is above the S19j Pro's first strike (0.0337) by more than the band.
    double offPeak = SEEDS.timeOfUse().usdPerKwhAt(Instant.parse("2026-08-19T08:00:00Z"));
    double summerPeak = SEEDS.timeOfUse().usdPerKwhAt(Instant.parse("2026-08-19T20:00:00Z"));
    assertThat(offPeak).isEqualTo(0.036);
    assertThat(summerPeak).isEqualTo(0.125);

    assertThat(planner.decide(running("antminer-s19j-pro"), offPeak, false))
        .isEqualTo(new PriceDecision.Reduce(2500));
    assertThat(planner.decide(running("antminer-s21"), offPeak, false))
        .isInstanceOf(PriceDecision.Keep.class);
    assertThat(planner.decide(running("antminer-s21"), summerPeak, false))
        .isInstanceOf(PriceDecision.Sleep.class);
  }

  @Test
  void aPriceHoveringAtTheStrikeDoesNotToggleTheRig() {
    StrikePrice s19 = strike("antminer-s19j-pro");
    double strike = s19.reduceAboveUsdPerKwh();

    // 2 % above the strike: inside the 5 % band, it keeps running.
    assertThat(planner.decide(running("antminer-s19j-pro"), strike * 1.02, false))
        .isInstanceOf(PriceDecision.Keep.class);
    // 10 % above: it reduces.
    assertThat(planner.decide(running("antminer-s19j-pro"), strike * 1.10, false))
        .isEqualTo(new PriceDecision.Reduce(2500));
    // Reduced, and the price falls 2 % below the strike: it stays reduced; 10 % below: it runs.
    PricePlanner.Rig reduced =
        new PricePlanner.Rig(
            s19, 2500, false, 120, 60, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    assertThat(planner.decide(reduced, strike * 0.98, false))
        .isInstanceOf(PriceDecision.Keep.class);
    assertThat(planner.decide(reduced, strike * 0.90, false)).isInstanceOf(PriceDecision.Run.class);
  }

  @Test
  void holdAndMinimumOnOffTimesKeepTheRigWhereItIs() {
    StrikePrice s19 = strike("antminer-s19j-pro");
    double cheap = 0.02;
    double dear = 0.5;

    PricePlanner.Rig justChanged =
        new PricePlanner.Rig(s19, s19.rig().sleepPowerW(), true, 120, 60, 600, 60);
    assertThat(planner.decide(justChanged, cheap, false))
        .isEqualTo(new PriceDecision.Keep("held for less than the minimum hold time"));

    PricePlanner.Rig asleepBriefly =
        new PricePlanner.Rig(s19, s19.rig().sleepPowerW(), true, 120, 900, 600, 600);
    assertThat(planner.decide(asleepBriefly, cheap, false))
        .isEqualTo(new PriceDecision.Keep("asleep for less than its minimum off-time"));

    // Woken 100 s ago (minimum on-time 120 s): it holds its lowest target instead of sleeping.
    PricePlanner.Rig wokenBriefly =
        new PricePlanner.Rig(s19, s19.rig().nameplateW(), false, 120, 60, 100, 600);
    assertThat(planner.decide(wokenBriefly, dear, false))
        .isEqualTo(new PriceDecision.Reduce(s19.rig().lowestRunW()));
  }

  @Test
  void rigsSleepThroughALikelyFourCpPeakWhenAvoidingItPays() {
    var fourCp = SEEDS.fourCp();
    // An August afternoon in 15-minute intervals; one interval reaches the 84,000 MW threshold.
    Instant start = Instant.parse("2026-08-20T19:00:00Z");
    List<LoadForecast> forecast = new ArrayList<>();
    double[] mw = {80_500, 82_000, 83_200, 84_100, 83_900, 82_500};
    for (int i = 0; i < mw.length; i++) {
      forecast.add(new LoadForecast(start.plus(Duration.ofMinutes(15L * i)), mw[i]));
    }
    PeakAvoidance peaks =
        new PeakAvoidance(
            fourCp.thresholdRule(),
            forecast,
            SEEDS.fixedIndustrial(),
            fourCp.transmissionUsdPerKwYear());
    Instant peak = start.plus(Duration.ofMinutes(50)); // inside the 84,100 MW interval
    Instant before = start.plus(Duration.ofMinutes(20));

    for (String model : List.of("antminer-s21", "hgx-h100-8x")) {
      StrikePrice s = strike(model);
      assertThat(peaks.curtail(s, before)).as(model).isFalse();
      // 13.50 USD/kW of transmission charge avoided against a quarter hour of margin.
      assertThat(peaks.curtail(s, peak)).as(model).isTrue();
      assertThat(planner.decide(running(model), 0.048, peaks.curtail(s, peak)))
          .isEqualTo(new PriceDecision.Sleep(true));
    }
  }
}
