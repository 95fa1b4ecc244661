package io.flexrig.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.core.profile.HardwareProfile;
import org.junit.jupiter.api.Test;

class SimulatedRigTest {

  private final HardwareProfile profile = TestProfiles.s19jPro();
  private final SimulatedRig rig = new SimulatedRig("rig-1", profile, 42);

  private void run(double seconds) {
    int steps = (int) Math.round(seconds / 0.1);
    for (int i = 0; i < steps; i++) {
      rig.advance(0.1);
    }
  }

  @Test
  void startsAtNameplatePowerAndHashrate() {
    assertThat(rig.powerW()).isEqualTo(3068);
    assertThat(rig.powerTargetW()).isEqualTo(3068);
    assertThat(rig.hashrateThs()).isCloseTo(104, within(104 * 0.01));
    assertThat(rig.dcPowerW()).isCloseTo(3068 * 0.94, within(1e-9));
    assertThat(rig.chipTempC()).isCloseTo(25 + 16 * 3.068, within(0.01));
  }

  @Test
  void powerRampsTowardTargetAtProfileRate() {
    rig.setPowerTargetW(1500);
    double rampSeconds = (3068 - 1500) / 150.0;

    run(5);
    assertThat(rig.powerW()).isCloseTo(3068 - 5 * 150, within(1e-6));

    run(rampSeconds - 5 - 0.5);
    assertThat(rig.powerW()).isGreaterThan(1500);

    run(1);
    assertThat(rig.powerW()).isEqualTo(1500);
  }

  @Test
  void rejectsPowerTargetsOutsideTheFirmwareRange() {
    assertThatThrownBy(() -> rig.setPowerTargetW(1499))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1500");
    assertThatThrownBy(() -> rig.setPowerTargetW(3251))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(rig.powerTargetW()).isEqualTo(3068);
  }

  @Test
  void hashrateFollowsThePowerCurveWithinNoise() {
    for (double target : new double[] {1500, 2000, 2250, 2500, 3250}) {
      rig.setPowerTargetW(target);
      run(20);
      double expected = profile.powerCurve().outputAt(target);
      assertThat(rig.powerW()).isEqualTo(target);
      assertThat(rig.hashrateThs()).isCloseTo(expected, within(expected * 0.01 + 1e-9));
    }
  }

  @Test
  void hashrateCarriesNoiseButIsDeterministicForASeed() {
    SimulatedRig twin = new SimulatedRig("rig-1", profile, 42);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int i = 0; i < 50; i++) {
      rig.advance(0.1);
      twin.advance(0.1);
      assertThat(twin.hashrateThs()).isEqualTo(rig.hashrateThs());
      min = Math.min(min, rig.hashrateThs());
      max = Math.max(max, rig.hashrateThs());
    }
    assertThat(max - min).isGreaterThan(0.1);
  }

  @Test
  void sleepRampsToSleepPowerWithoutHashingAndWakeRampsBack() {
    rig.sleep();
    assertThat(rig.isSleeping()).isTrue();
    run(30);
    assertThat(rig.powerW()).isEqualTo(25);
    assertThat(rig.hashrateThs()).isZero();

    rig.wake();
    run(10);
    assertThat(rig.isSleeping()).isFalse();
    assertThat(rig.powerW()).isCloseTo(25 + 10 * 150, within(1e-6));
    run(20);
    assertThat(rig.powerW()).isEqualTo(3068);
    assertThat(rig.hashrateThs()).isCloseTo(104, within(1.04));
  }

  @Test
  void openRelayDropsPowerToZeroAtOnceAndClosingRampsFromZero() {
    rig.setRelayClosed(false);
    assertThat(rig.powerW()).isZero();
    assertThat(rig.hashrateThs()).isZero();
    assertThat(rig.fanRpm()).isZero();
    run(5);
    assertThat(rig.powerW()).isZero();

    rig.setRelayClosed(true);
    run(2);
    assertThat(rig.powerW()).isCloseTo(300, within(1e-6));
  }

  @Test
  void temperatureLagsBehindPowerWithTheThermalTimeConstant() {
    double hot = rig.chipTempC();
    rig.setRelayClosed(false);
    run(40);
    double settled = 25;
    // One time constant covers 1 - 1/e of the way to the new level.
    double expected = settled + (hot - settled) * Math.exp(-1);
    assertThat(rig.chipTempC()).isCloseTo(expected, within(0.2));
    assertThat(rig.boardTempC()).isLessThan(25 + 11 * 3.068).isGreaterThan(25);
  }

  @Test
  void failedFanStopsTheFanAndHeatsTheChipsPastCritical() {
    assertThat(rig.fanRpm()).isBetween(3000.0, 6000.0);
    rig.failFan(true);
    assertThat(rig.fanRpm()).isZero();
    run(120);
    assertThat(rig.chipTempC())
        .isGreaterThan(profile.limits().chipTempC().criticalC())
        .isGreaterThan(25 + 16 * 3.068 + 30);
  }

  @Test
  void fanSpeedFollowsPower() {
    double full = rig.fanRpm();
    rig.setPowerTargetW(1500);
    run(15);
    assertThat(rig.fanRpm()).isLessThan(full).isGreaterThanOrEqualTo(3000);
  }

  @Test
  void sharesAccumulateWithHashesDone() {
    run(600);
    double expectedShares = 104e12 * 600 / (SimulatedRig.SHARE_DIFFICULTY * 4_294_967_296.0);
    long shares = rig.acceptedShares() + rig.rejectedShares();
    assertThat((double) shares).isCloseTo(expectedShares, within(expectedShares * 0.03));
    assertThat(rig.acceptedShares()).isGreaterThan(rig.rejectedShares());
    assertThat(rig.elapsedS()).isCloseTo(600, within(1e-6));

    rig.sleep();
    run(30);
    long asleep = rig.acceptedShares();
    run(30);
    assertThat(rig.acceptedShares()).isEqualTo(asleep);
  }
}
