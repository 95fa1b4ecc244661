package io.flexrig.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrequencyResponderTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final FrequencyResponse ERCOT_FFR =
      new FrequencyResponse(60, 59.85, 59.70, CurtailmentMethodKind.SLEEP, Double.NaN, 900, 59.95);
  private final FrequencyResponder ffr = new FrequencyResponder(ERCOT_FFR);

  @Test
  void anArmedResponderTripsBelowTheTripPointAndRequiresACut() {
    ffr.arm(true, "ERCOT-FFR");
    assertThat(ffr.onFrequency(59.86, T0)).isEmpty();

    var trip = ffr.onFrequency(59.84, T0.plusMillis(100));

    assertThat(trip).get().extracting(FrequencyResponder.Transition::code).isEqualTo("FFR_TRIPPED");
    assertThat(trip.get().message()).contains("59.840 Hz").contains("ERCOT-FFR").contains("SLEEP");
    assertThat(ffr.cutRequired()).isTrue();
    assertThat(ffr.cutBySupply()).isFalse();
    assertThat(ffr.reason()).contains("frequency response");
  }

  @Test
  void aDisarmedResponderIgnoresTheTripPointButNotTheUnderFrequencyRelayPoint() {
    assertThat(ffr.onFrequency(59.80, T0)).isEmpty();
    assertThat(ffr.cutRequired()).isFalse();

    assertThat(ffr.onFrequency(59.69, T0.plusSeconds(1))).isPresent();
    assertThat(ffr.cutRequired()).isTrue();
  }

  @Test
  void theShedIsHeldForHoldSecondsEvenIfTheFrequencyRecoversEarly() {
    ffr.arm(true, "ERCOT-FFR");
    ffr.onFrequency(59.80, T0);

    assertThat(ffr.onFrequency(60.0, T0.plusSeconds(899))).isEmpty();
    assertThat(ffr.shedding()).isTrue();
    var restore = ffr.onFrequency(60.0, T0.plusSeconds(900));
    assertThat(restore)
        .get()
        .extracting(FrequencyResponder.Transition::code)
        .isEqualTo("FFR_RESTORED");
    assertThat(ffr.cutRequired()).isFalse();
  }

  @Test
  void afterTheHoldTheLoadIsRestoredOnlyOnceTheFrequencyReachesRecover() {
    ffr.arm(true, "");
    ffr.onFrequency(59.80, T0);

    assertThat(ffr.onFrequency(59.90, T0.plusSeconds(1000))).isEmpty();
    assertThat(ffr.shedding()).isTrue();
    assertThat(ffr.onFrequency(59.95, T0.plusSeconds(1001))).isPresent();
    assertThat(ffr.shedding()).isFalse();
  }

  @Test
  void aPowerTargetResponseLowersTheCeilingInsteadOfCutting() {
    FrequencyResponder toTarget =
        new FrequencyResponder(
            new FrequencyResponse(
                50, 49.80, Double.NaN, CurtailmentMethodKind.POWER_TARGET, 1800, 60, 49.95));
    toTarget.arm(true, "FCR-D");
    assertThat(toTarget.ceilingW()).isInfinite();

    toTarget.onFrequency(49.79, T0);

    assertThat(toTarget.ceilingW()).isEqualTo(1800);
    assertThat(toTarget.cutRequired()).isFalse();
  }

  @Test
  void aRelayResponseCutsTheSupplyAtOnce() {
    FrequencyResponder relay =
        new FrequencyResponder(
            new FrequencyResponse(
                60, 59.85, 59.70, CurtailmentMethodKind.RELAY_CUT, Double.NaN, 900, 59.95));
    relay.onFrequency(59.60, T0);

    assertThat(relay.cutRequired()).isTrue();
    assertThat(relay.cutBySupply()).isTrue();
  }
}
