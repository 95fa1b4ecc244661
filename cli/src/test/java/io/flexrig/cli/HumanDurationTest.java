package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

  @Test
  void parsesTheUnitsOperatorsType() {
    assertThat(HumanDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(HumanDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(HumanDuration.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(HumanDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(HumanDuration.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(HumanDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(HumanDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(HumanDuration.parse(" 10M ")).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void parsesIso8601() {
    assertThat(HumanDuration.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(HumanDuration.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void rejectsWhatIsNotADurationNamingTheAcceptedForms() {
    for (String bad : new String[] {"", "10", "m", "10x", "-5m", "1h 30m", "PT-5M", "5m10"}) {
      assertThatThrownBy(() -> HumanDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("use e.g. 90s, 10m, 1h30m, 2d");
    }
  }

  @Test
  void formatsTheTwoLargestUnits() {
    assertThat(HumanDuration.format(Duration.ofMillis(400))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(HumanDuration.format(Duration.ofSeconds(330))).isEqualTo("5m30s");
    assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(HumanDuration.format(Duration.ofMinutes(65).plusSeconds(59))).isEqualTo("1h5m");
    assertThat(HumanDuration.format(Duration.ofHours(51))).isEqualTo("2d3h");
    assertThat(HumanDuration.format(Duration.ofMinutes(-3))).isEqualTo("3m");
  }
}
