package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FourCpWindowTest {
  private static final YearMonth JULY = YearMonth.of(2026, 7);

  /** A forecast interval at a local (Central) time. */
  private static LoadForecast at(String localTime, double mw) {
    return new LoadForecast(
        LocalDateTime.parse(localTime).atZone(FourCpWindow.ERCOT_ZONE).toInstant(), mw);
  }

  /** A hot afternoon: 15:00 .. 18:00 local in 15-minute steps. */
  private static List<LoadForecast> afternoon(String day, double... mw) {
    List<LoadForecast> out = new ArrayList<>();
    for (int i = 0; i < mw.length; i++) {
      int minutes = 15 * 60 + 15 * i;
      out.add(at(day + String.format("T%02d:%02d", minutes / 60, minutes % 60), mw[i]));
    }
    return out;
  }

  /** Five July intervals, then a May heatwave that is outside the 4CP season whatever its load. */
  private static final List<LoadForecast> ONE_HOT_DAY =
      Stream.concat(
              afternoon("2026-07-15", 82_000, 84_500, 85_200, 84_100, 83_000).stream(),
              Stream.of(at("2026-05-20T16:00", 90_000)))
          .toList();

  @Test
  void thresholdRuleFlagsInSeasonIntervalsAtOrAboveTheLoad() throws Exception {
    FourCpWindow rule = EconomicsFixtures.seeds().fourCp().thresholdRule(); // 84,000 MW

    assertThat(rule.likelyPeaks(ONE_HOT_DAY))
        .containsExactly(
            ONE_HOT_DAY.get(1).start(), ONE_HOT_DAY.get(2).start(), ONE_HOT_DAY.get(3).start());
    assertThat(rule.isLikelyPeak(ONE_HOT_DAY.get(2).start(), ONE_HOT_DAY)).isTrue();
    assertThat(rule.isLikelyPeak(ONE_HOT_DAY.get(0).start(), ONE_HOT_DAY)).isFalse();
    assertThat(rule.isLikelyPeak(ONE_HOT_DAY.get(5).start(), ONE_HOT_DAY)).isFalse();
  }

  @Test
  void topNRuleFlagsTheHighestIntervalsOfEachSummerMonth() {
    List<LoadForecast> forecast = new ArrayList<>(ONE_HOT_DAY);
    forecast.addAll(afternoon("2026-08-03", 80_000, 81_000));
    // 30 September 20:00 CDT is 1 October in UTC, but September by ERCOT's clock.
    forecast.add(at("2026-09-30T20:00", 70_000));

    List<Instant> flagged = FourCpWindow.topIntervals(2).likelyPeaks(forecast);

    // July: 84,500 and 85,200; August: both intervals; September: its only one; May: none.
    assertThat(flagged)
        .containsExactly(
            ONE_HOT_DAY.get(1).start(),
            ONE_HOT_DAY.get(2).start(),
            forecast.get(6).start(),
            forecast.get(7).start(),
            forecast.get(8).start());
  }

  @Test
  void avoidingOneMonthlyPeakSavesAQuarterOfTheYearlyCharge() {
    // 54 USD/kW-year over four peaks.
    assertThat(FourCpWindow.avoidedUsdPerKw(54)).isEqualTo(13.5);
  }

  @Test
  void minerCurtailsThroughTheWindowBecauseTheChargeDwarfsItsMargin() throws Exception {
    EconomicsSeeds seeds = EconomicsFixtures.seeds();
    StrikePrice s21 = EconomicsFixtures.strike("antminer-s21");

    FourCpAssessment july =
        seeds
            .fourCp()
            .thresholdRule()
            .assess(JULY, ONE_HOT_DAY, s21, new FixedPowerPrice(0.05), 54);

    // S21 at 0.05 runs at nameplate and loses 0.091930 - 0.05 = 0.041930 USD per kWh shed; three
    // flagged intervals are 0.75 h: 0.031447 USD/kW lost against 13.5 USD/kW avoided.
    assertThat(july.likelyIntervals()).isEqualTo(3);
    assertThat(july.curtailedHours()).isEqualTo(0.75);
    assertThat(july.marginLostUsdPerKw()).isCloseTo(0.031447, within(1e-6));
    assertThat(july.avoidedUsdPerKw()).isEqualTo(13.5);
    assertThat(july.curtail()).isTrue();
  }

  @Test
  void gpuNodeKeepsWorkingThroughALongWindowButNotThroughAShortOne() throws Exception {
    StrikePrice h100 =
        StrikePrice.of(
            RigEconomics.ai(
                EconomicsFixtures.profile("hgx-h100-8x"),
                EconomicsFixtures.seeds().aiRevenue("hgx-h100-8x")));
    // Ten hot weekday afternoons, four flagged intervals each: 40 intervals = 10 hours.
    List<LoadForecast> hotWeeks = new ArrayList<>();
    for (int day = 6; day <= 17; day++) {
      if (day == 11 || day == 12) {
        continue; // the weekend is cooler
      }
      hotWeeks.addAll(
          afternoon(String.format("2026-07-%02d", day), 86_000, 86_500, 87_000, 86_200));
    }
    FourCpWindow rule = FourCpWindow.aboveLoad(84_000);
    PowerPrice price = new FixedPowerPrice(0.05);

    FourCpAssessment tenHours = rule.assess(JULY, hotWeeks, h100, price, 54);
    FourCpAssessment oneDay = rule.assess(JULY, hotWeeks.subList(0, 4), h100, price, 54);

    // H100 node at 0.05: (12.8 - 0.51 + 0.10) / 8.2 kW = 1.510976 USD per kWh shed.
    // 10 h: 15.11 USD/kW lost > 13.5 avoided: keep serving. 1 h: 1.511 < 13.5: curtail.
    assertThat(tenHours.likelyIntervals()).isEqualTo(40);
    assertThat(tenHours.marginLostUsdPerKw()).isCloseTo(15.10976, within(1e-5));
    assertThat(tenHours.curtail()).isFalse();
    assertThat(oneDay.marginLostUsdPerKw()).isCloseTo(1.510976, within(1e-6));
    assertThat(oneDay.curtail()).isTrue();
    // The S21 still curtails the long window: 10 h * 0.041930 = 0.42 USD/kW.
    assertThat(
            rule.assess(JULY, hotWeeks, EconomicsFixtures.strike("antminer-s21"), price, 54)
                .curtail())
        .isTrue();
  }

  @Test
  void nothingToAssessOutsideTheSeasonOrWithoutFlaggedIntervals() {
    FourCpWindow rule = FourCpWindow.aboveLoad(84_000);

    assertThat(rule.assess(YearMonth.of(2026, 5), ONE_HOT_DAY, 0.04, 54).curtail()).isFalse();
    assertThat(rule.assess(YearMonth.of(2026, 8), ONE_HOT_DAY, 0.04, 54).likelyIntervals())
        .isZero();
    // A flat margin loss: 3 intervals * 0.25 h * 0.04 = 0.03 USD/kW.
    assertThat(rule.assess(JULY, ONE_HOT_DAY, 0.04, 54).marginLostUsdPerKw())
        .isCloseTo(0.03, within(1e-12));
  }
}
