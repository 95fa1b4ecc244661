package io.flexrig.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.TestProfiles;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** S19j Pro: power target 15 s (and 150 W/s), sleep 10 s, relay cut 1 s. */
class KnobChoiceTest {
  private final HardwareProfile s19 = TestProfiles.s19jPro();

  private CurtailmentMethodKind choose(double targetW, int seconds, boolean relay) {
    return KnobChoice.choose(s19, 3068, targetW, Duration.ofSeconds(seconds), relay);
  }

  @Test
  void thePowerTargetIsUsedWhenItsLatencyMeetsTheDeadline() {
    assertThat(choose(2000, 60, true)).isEqualTo(CurtailmentMethodKind.POWER_TARGET);
  }

  @Test
  void aRampLongerThanTheMeasuredLatencyCountsAgainstThePowerTarget() {
    // 3068 W -> 1500 W at 150 W/s takes 10.5 s, within 15 s; 3068 -> 1500 by 12 s does not fit 15 s
    assertThat(choose(1500, 16, false)).isEqualTo(CurtailmentMethodKind.POWER_TARGET);
    assertThat(choose(1500, 12, false)).isEqualTo(CurtailmentMethodKind.SLEEP);
  }

  @Test
  void sleepIsChosenWhenThePowerTargetIsTooSlowButSleepIsInTime() {
    assertThat(choose(2000, 10, true)).isEqualTo(CurtailmentMethodKind.SLEEP);
  }

  @Test
  void theRelayIsChosenOnlyWhenNothingGentlerMeetsTheDeadline() {
    assertThat(choose(2000, 2, true)).isEqualTo(CurtailmentMethodKind.RELAY_CUT);
    assertThat(choose(2000, 2, false))
        .as("without a switch the fastest remaining knob")
        .isEqualTo(CurtailmentMethodKind.SLEEP);
  }

  @Test
  void aRigAlreadyBelowTheTargetKeepsThePowerTargetKnob() {
    assertThat(KnobChoice.choose(s19, 1800, 2000, Duration.ZERO, true))
        .isEqualTo(CurtailmentMethodKind.POWER_TARGET);
  }

  @Test
  void withoutAPowerMeasurementTheGentlestKnobIsUsed() {
    assertThat(KnobChoice.choose(s19, Double.NaN, 2000, Duration.ofSeconds(2), true))
        .isEqualTo(CurtailmentMethodKind.POWER_TARGET);
  }

  @Test
  void aSleepTargetIsNeverMetByThePowerTarget() {
    assertThat(choose(25, 60, true)).isEqualTo(CurtailmentMethodKind.SLEEP);
    assertThat(choose(25, 5, true)).isEqualTo(CurtailmentMethodKind.RELAY_CUT);
  }

  @Test
  void aRigWithoutSleepFallsBackToThePowerTargetWhenItHasNoSwitch() {
    HardwareProfile noSleep =
        new HardwareProfile(
            s19.id(),
            s19.vendor(),
            s19.model(),
            s19.kind(),
            s19.nameplate(),
            s19.powerCurve(),
            s19.limits(),
            s19.thermal(),
            s19.sensors(),
            s19.workloads(),
            List.of(s19.curtailment(CurtailmentMethodKind.POWER_TARGET).orElseThrow()),
            s19.source());
    assertThat(KnobChoice.choose(noSleep, 3068, 2000, Duration.ofSeconds(2), false))
        .isEqualTo(CurtailmentMethodKind.POWER_TARGET);
  }
}
