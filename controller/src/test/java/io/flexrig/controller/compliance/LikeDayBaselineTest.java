package io.flexrig.controller.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.controller.compliance.LikeDayBaseline.DayLoad;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LikeDayBaselineTest {

  private static final LocalDate EVENT_DAY = LocalDate.of(2026, 11, 25); // a Wednesday

  /** Most recent first: day k back has a flat load of k * 100 kW on both intervals. */
  private static List<DayLoad> tenDays() {
    List<DayLoad> days = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      days.add(new DayLoad(EVENT_DAY.minusDays(k), new double[] {k * 100, k * 100 + 10}));
    }
    return days;
  }

  @Test
  void middleEightOfTenDropsTheHighestAndTheLowestDay() {
    LikeDayBaseline.Result r = LikeDayBaseline.compute(2, tenDays());

    // 200..900 kW kept: their mean is 550 (and 560 in the second interval).
    assertThat(r.intervalKw()[0]).isCloseTo(550, within(1e-9));
    assertThat(r.intervalKw()[1]).isCloseTo(560, within(1e-9));
    assertThat(r.daysFound()).isEqualTo(10);
    assertThat(r.daysKept())
        .hasSize(8)
        .doesNotContain(EVENT_DAY.minusDays(1), EVENT_DAY.minusDays(10));
  }

  @Test
  void onlyTheTenMostRecentDaysWithDataCount() {
    List<DayLoad> days = new ArrayList<>(tenDays());
    days.add(2, new DayLoad(EVENT_DAY.minusDays(3), new double[] {Double.NaN, Double.NaN}));
    days.add(new DayLoad(EVENT_DAY.minusDays(20), new double[] {99_999, 99_999}));

    LikeDayBaseline.Result r = LikeDayBaseline.compute(2, days);

    // The day without data is skipped and the eleventh day with data is never reached.
    assertThat(r.daysFound()).isEqualTo(10);
    assertThat(r.intervalKw()[0]).isCloseTo(550, within(1e-9));
  }

  @Test
  void anIntervalMissingOnSomeDaysAveragesTheDaysThatHaveIt() {
    List<DayLoad> days =
        List.of(
            new DayLoad(EVENT_DAY.minusDays(1), new double[] {100, Double.NaN}),
            new DayLoad(EVENT_DAY.minusDays(2), new double[] {200, 400}));

    LikeDayBaseline.Result r = LikeDayBaseline.compute(2, days);

    // Two days: nothing dropped.
    assertThat(r.intervalKw()[0]).isCloseTo(150, within(1e-9));
    assertThat(r.intervalKw()[1]).isCloseTo(400, within(1e-9));
  }

  @Test
  void withoutLikeDaysTheBaselineIsUnknown() {
    LikeDayBaseline.Result r = LikeDayBaseline.compute(3, List.of());

    assertThat(r.daysFound()).isZero();
    assertThat(r.intervalKw()).containsOnly(Double.NaN);
    assertThat(r.averageKw()).isNaN();
  }

  @Test
  void weekdaysAreLikeWeekdaysAndWeekendsLikeWeekends() {
    assertThat(LikeDayBaseline.likeDay(EVENT_DAY, LocalDate.of(2026, 11, 23))).isTrue(); // Mon
    assertThat(LikeDayBaseline.likeDay(EVENT_DAY, LocalDate.of(2026, 11, 22))).isFalse(); // Sun
    assertThat(LikeDayBaseline.likeDay(LocalDate.of(2026, 11, 28), LocalDate.of(2026, 11, 22)))
        .isTrue(); // Sat ~ Sun
  }
}
