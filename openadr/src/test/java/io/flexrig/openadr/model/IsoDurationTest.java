package io.flexrig.openadr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IsoDurationTest {
  private static final Instant START = Instant.parse("2026-02-28T00:00:00Z");

  @Test
  void timeOnlyDurationsHaveTheirExactLength() {
    assertThat(IsoDuration.parse("PT15M").lengthFrom(START)).isEqualTo(Duration.ofMinutes(15));
    assertThat(IsoDuration.parse("PT1H30M2.5S").lengthFrom(START))
        .isEqualTo(Duration.ofSeconds(5402, 500_000_000));
  }

  @Test
  void weeksDaysAndMonthsAreCalendarAwareInUtc() {
    assertThat(IsoDuration.parse("P1W").lengthFrom(START)).isEqualTo(Duration.ofDays(7));
    assertThat(IsoDuration.parse("P1M").addTo(START))
        .isEqualTo(Instant.parse("2026-03-28T00:00:00Z"));
    assertThat(IsoDuration.parse("P1DT1H").lengthFrom(START)).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void p9999yMeansOpenEnded() {
    IsoDuration infinity = IsoDuration.parse(IsoDuration.INFINITY);

    assertThat(infinity.isOpenEnded()).isTrue();
    assertThat(infinity.lengthFrom(START)).isEqualTo(IsoDuration.OPEN_ENDED);
    assertThat(IsoDuration.parse("P1Y").isOpenEnded()).isFalse();
  }

  @Test
  void zeroDurationIsRecognised() {
    assertThat(IsoDuration.parse("PT0S").isZero()).isTrue();
    assertThat(IsoDuration.parse("PT1S").isZero()).isFalse();
  }

  @Test
  void textOutsideTheSpecPatternIsRejectedWithTheValue() {
    assertThatThrownBy(() -> IsoDuration.parse("15 minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15 minutes");
    assertThatThrownBy(() -> IsoDuration.parse("PT")).isInstanceOf(IllegalArgumentException.class);
  }
}
