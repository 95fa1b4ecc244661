package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.proto.v1.SetpointKind;
import io.flexrig.proto.v1.SetpointSchedule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {

  private static final Instant START = Instant.parse("2026-11-25T14:00:00Z");

  @Test
  void relativeAndAbsoluteStepsBecomeInstants() {
    SetpointSchedule s =
        ScheduleSpec.parse(
            "+0=2000, +15m=1500.5,2026-11-25T14:45:00Z=900", SetpointKind.SETPOINT_KIND_CAP, START);

    assertThat(s.getKind()).isEqualTo(SetpointKind.SETPOINT_KIND_CAP);
    assertThat(s.getStepsList())
        .extracting(x -> Instant.ofEpochSecond(x.getStartAt().getSeconds()))
        .containsExactly(
            START, Instant.parse("2026-11-25T14:15:00Z"), Instant.parse("2026-11-25T14:45:00Z"));
    assertThat(s.getStepsList()).extracting(x -> x.getKw()).containsExactly(2000.0, 1500.5, 900.0);
  }

  @Test
  void malformedStepsAreNamed() {
    assertThatThrownBy(() -> ScheduleSpec.parse("+0=", SetpointKind.SETPOINT_KIND_CAP, START))
        .hasMessageContaining("'+0=' is not WHEN=KW");
    assertThatThrownBy(() -> ScheduleSpec.parse("+0=lots", SetpointKind.SETPOINT_KIND_CAP, START))
        .hasMessageContaining("KW is not a number");
    assertThatThrownBy(() -> ScheduleSpec.parse("noon=5", SetpointKind.SETPOINT_KIND_CAP, START))
        .hasMessageContaining("'noon' is neither");
    assertThatThrownBy(() -> ScheduleSpec.parse(" ", SetpointKind.SETPOINT_KIND_CAP, START))
        .hasMessageContaining("at least one");
  }
}
