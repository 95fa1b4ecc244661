package io.flexrig.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.controller.MutableClock;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStateTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final FleetState fleet = new FleetState(clock);

  private static RigRegistration rig(String id, String site) {
    return new RigRegistration(
        id,
        site,
        "antminer-s19j-pro",
        "0.1.0",
        List.of(new RigCapability(CurtailmentMethodKind.POWER_TARGET, 2000, 3300, 1)),
        new RigNameplate(3000, 100, 30, 20, 100));
  }

  private RigSample sample(long seq, double powerW, String quality) {
    Instant now = clock.instant();
    return new RigSample(
        seq,
        now,
        powerW,
        quality.equals("GOOD") || quality.equals("UNCERTAIN"),
        quality,
        100,
        70,
        60,
        RigActivity.RUNNING,
        0,
        now);
  }

  @Test
  void sitePowerSumsOnlyUsableSamplesOfTheSite() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("b", "site-1"));
    fleet.connected(rig("c", "site-1"));
    fleet.connected(rig("other", "site-2"));
    fleet.recordSample("a", sample(1, 3000, "GOOD"));
    fleet.recordSample("b", sample(1, 2500, "UNCERTAIN"));
    fleet.recordSample("c", sample(1, 9999, "BAD"));
    fleet.recordSample("other", sample(1, 1234, "GOOD"));

    SiteLoad load = fleet.siteLoad("site-1");

    assertThat(load.measuredW()).isEqualTo(5500);
    assertThat(load.rigsMeasured()).isEqualTo(2);
    assertThat(load.rigsStale()).isEqualTo(1);
    assertThat(load.rigsKnown()).isEqualTo(3);
    assertThat(load.rigsConnected()).isEqualTo(3);
    assertThat(load.nameplateW()).isEqualTo(9000);
  }

  @Test
  void staleSamplesNoLongerCountTowardSitePower() {
    fleet.connected(rig("a", "site-1"));
    fleet.recordSample("a", sample(1, 3000, "GOOD"));

    clock.advance(Duration.ofSeconds(6));

    assertThat(fleet.siteLoad("site-1").measuredW()).isZero();
    assertThat(fleet.siteLoad("site-1").rigsStale()).isEqualTo(1);
  }

  @Test
  void aRigThatWentQuietCountsAtItsLastKnownPowerInTheEstimate() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("b", "site-1"));
    fleet.recordSample("a", sample(1, 3000, "GOOD"));
    clock.advance(Duration.ofSeconds(6));
    fleet.recordSample("b", sample(1, 2500, "GOOD"));

    SiteLoad load = fleet.siteLoad("site-1");

    assertThat(load.measuredW()).isEqualTo(2500);
    assertThat(load.estimatedW()).isEqualTo(5500);
  }

  @Test
  void anOlderSequenceDoesNotReplaceTheLatestSample() {
    fleet.connected(rig("a", "site-1"));
    fleet.recordSample("a", sample(5, 3000, "GOOD"));
    fleet.recordSample("a", sample(4, 100, "GOOD"));

    assertThat(fleet.rig("a").orElseThrow().latest().orElseThrow().sequence()).isEqualTo(5);
    assertThat(fleet.siteLoad("site-1").measuredW()).isEqualTo(3000);
  }

  @Test
  void aReplacedSessionCannotDisconnectItsSuccessor() {
    long first = fleet.connected(rig("a", "site-1"));
    long second = fleet.connected(rig("a", "site-1"));

    fleet.disconnected("a", first);
    assertThat(fleet.rig("a").orElseThrow().connected()).isTrue();

    fleet.disconnected("a", second);
    assertThat(fleet.rig("a").orElseThrow().connected()).isFalse();
    assertThat(fleet.knowsSite("site-1")).isTrue();
  }

  @Test
  void aRejectedCommandIsNoLongerHeld() {
    fleet.connected(rig("a", "site-1"));
    fleet.holdCommand("a", new HeldCommand("cmd-1", "ev-1", new Setpoint.Sleep(), clock.instant()));
    assertThat(fleet.siteLoad("site-1").rigsCurtailed()).isEqualTo(1);

    fleet.commandAcknowledged("a", "cmd-1", false);

    assertThat(fleet.rig("a").orElseThrow().command()).isEmpty();
    assertThat(fleet.siteLoad("site-1").rigsCurtailed()).isZero();
  }

  @Test
  void aCommandThatCouldNotBeSentLeavesTheRigHoldingItsPreviousCommand() {
    fleet.connected(rig("a", "site-1"));
    HeldCommand first = new HeldCommand("cmd-1", "ev-1", new Setpoint.Sleep(), clock.instant());
    fleet.holdCommand("a", first);

    HeldCommand previous =
        fleet.holdCommand(
            "a", new HeldCommand("cmd-2", "ev-1", new Setpoint.PowerTarget(1500), clock.instant()));
    fleet.commandNotSent("a", "cmd-2", previous);

    assertThat(fleet.rig("a").orElseThrow().command()).contains(first);
  }

  @Test
  void aRigThatMovesSiteLeavesItsOldSite() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("a", "site-2"));

    assertThat(fleet.knowsSite("site-1")).isFalse();
    assertThat(fleet.rigsOfSite("site-2")).extracting(RigView::rigId).containsExactly("a");
  }
}
