package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.core.economics.TimeOfUsePowerPrice.Days;
import io.flexrig.core.economics.TimeOfUsePowerPrice.Period;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PowerPriceTest {
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);
  private static final Instant T0 = Instant.parse("2026-08-20T19:00:00Z");

  @Test
  void fixedPriceIsTheSameAtEveryInstant() {
    PowerPrice p = new FixedPowerPrice(0.048);

    assertThat(p.usdPerKwhAt(Instant.EPOCH)).isEqualTo(0.048);
    assertThat(p.usdPerKwhAt(T0)).isEqualTo(0.048);
    assertThatThrownBy(() -> new FixedPowerPrice(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void seededTariffChargesSummerWeekdayAfternoonsMost() throws Exception {
    TimeOfUsePowerPrice tou = EconomicsFixtures.seeds().timeOfUse();

    // Wed 15 July 2026 15:00 CDT (UTC-5) = 20:00Z: summer on-peak.
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-15T20:00:00Z"))).isEqualTo(0.125);
    assertThat(tou.periodAt(Instant.parse("2026-07-15T20:00:00Z")).orElseThrow().name())
        .isEqualTo("summer-on-peak");
    // Same clock time on Saturday 18 July: the weekend day period.
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-18T20:00:00Z"))).isEqualTo(0.044);
    // 03:00 CDT on the Wednesday: no period, off-peak base.
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-15T08:00:00Z"))).isEqualTo(0.036);
    // 13:59 CDT is still the shoulder; 19:00 CDT is past the on-peak end (exclusive).
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-15T18:59:00Z"))).isEqualTo(0.052);
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-16T00:00:00Z"))).isEqualTo(0.036);
  }

  @Test
  void onPeakFollowsLocalTimeAcrossDaylightSaving() throws Exception {
    TimeOfUsePowerPrice tou = EconomicsFixtures.seeds().timeOfUse();

    // Wed 14 January 2026: CST is UTC-6, so 14:00 local is 20:00Z and 19:30Z is still 13:30.
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-01-14T20:00:00Z"))).isEqualTo(0.078);
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-01-14T19:30:00Z"))).isEqualTo(0.052);
    // In July (CDT, UTC-5) 19:30Z is 14:30 local: on-peak already.
    assertThat(tou.usdPerKwhAt(Instant.parse("2026-07-15T19:30:00Z"))).isEqualTo(0.125);
  }

  @Test
  void periodOverMidnightBelongsToTheDayItStarted() {
    var nights =
        new TimeOfUsePowerPrice(
            ZoneId.of("UTC"),
            0.05,
            List.of(
                Period.of(
                    "weeknight", Days.WEEKDAYS, LocalTime.of(22, 0), LocalTime.of(6, 0), 0.02)));

    // Friday 23:00 and Saturday 02:00 are Friday night's period.
    assertThat(nights.usdPerKwhAt(Instant.parse("2026-07-17T23:00:00Z"))).isEqualTo(0.02);
    assertThat(nights.usdPerKwhAt(Instant.parse("2026-07-18T02:00:00Z"))).isEqualTo(0.02);
    // Monday 02:00 follows Sunday evening, which is not a weekday night.
    assertThat(nights.usdPerKwhAt(Instant.parse("2026-07-20T02:00:00Z"))).isEqualTo(0.05);
    // Saturday 06:00 is past the end.
    assertThat(nights.usdPerKwhAt(Instant.parse("2026-07-18T06:00:00Z"))).isEqualTo(0.05);
  }

  @Test
  void realTimeSeriesPricesEachIntervalFromItsStartInclusive() {
    var rt =
        RealTimePowerPrice.strict(
            RealTimePowerPrice.consecutive(T0, FIVE_MIN, List.of(30, 5000, 45)));

    // USD/MWh / 1000 = USD/kWh.
    assertThat(rt.usdPerKwhAt(T0)).isCloseTo(0.030, within(1e-12));
    assertThat(rt.usdPerKwhAt(T0.plusSeconds(299))).isCloseTo(0.030, within(1e-12));
    assertThat(rt.usdPerKwhAt(T0.plusSeconds(300))).isCloseTo(5.0, within(1e-12));
    assertThat(rt.usdPerKwhAt(T0.plusSeconds(899))).isCloseTo(0.045, within(1e-12));
  }

  @Test
  void strictSeriesRefusesToGuessOutsideItsIntervals() {
    var rt =
        RealTimePowerPrice.strict(
            List.of(
                RealTimePowerPrice.Interval.ofUsdPerMwh(T0, FIVE_MIN, 30),
                // A gap of 5 minutes: a missing LMP.
                RealTimePowerPrice.Interval.ofUsdPerMwh(
                    T0.plus(Duration.ofMinutes(10)), FIVE_MIN, 40)));

    assertThatThrownBy(() -> rt.usdPerKwhAt(T0.minusSeconds(1)))
        .isInstanceOf(PriceNotPublishedException.class)
        .hasMessageContaining("2026-08-20T18:59:59Z");
    assertThatThrownBy(() -> rt.usdPerKwhAt(T0.plus(Duration.ofMinutes(7))))
        .isInstanceOf(PriceNotPublishedException.class);
    assertThatThrownBy(() -> rt.usdPerKwhAt(T0.plus(Duration.ofMinutes(15))))
        .isInstanceOf(PriceNotPublishedException.class);
    assertThat(rt.covers(T0.plus(Duration.ofMinutes(12)))).isTrue();
  }

  @Test
  void seriesWithFallbackUsesItInGapsAndOutside() {
    var rt =
        RealTimePowerPrice.withFallback(
            RealTimePowerPrice.consecutive(T0, FIVE_MIN, List.of(900)), 0.048);

    assertThat(rt.usdPerKwhAt(T0.minusSeconds(60))).isEqualTo(0.048);
    assertThat(rt.usdPerKwhAt(T0.plusSeconds(60))).isCloseTo(0.9, within(1e-12));
    assertThat(rt.usdPerKwhAt(T0.plusSeconds(300))).isEqualTo(0.048);
  }

  @Test
  void overlappingIntervalsAreRejected() {
    assertThatThrownBy(
            () ->
                RealTimePowerPrice.strict(
                    List.of(
                        new RealTimePowerPrice.Interval(T0, Duration.ofMinutes(15), 0.03),
                        new RealTimePowerPrice.Interval(T0.plus(FIVE_MIN), FIVE_MIN, 0.04))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap");
  }
}
