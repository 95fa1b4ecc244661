package io.flexrig.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.controller.MutableClock;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  @Test
  void theRunningEstimateReplacesEachRigsPreviousContribution() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("b", "site-1"));
    fleet.recordSample("a", sample(1, 3000, "GOOD"));
    fleet.recordSample("b", sample(1, 2500, "GOOD"));
    fleet.recordSample("a", sample(2, 2000.25, "GOOD"));
    fleet.recordSample("b", sample(2, 9999, "BAD"));
    fleet.recordSample("a", sample(1, 7777, "GOOD"));

    assertThat(fleet.estimatedW("site-1")).isEqualTo(2000.25);
    assertThat(fleet.siteLoad("site-1").estimatedW()).isEqualTo(2000.25);

    clock.advance(Duration.ofSeconds(6));
    assertThat(fleet.estimatedW("site-1")).isEqualTo(2000.25);
    assertThat(fleet.siteLoad("site-1").measuredW()).isZero();
  }

  @Test
  void aRigThatMovesSiteTakesItsPowerAlong() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("b", "site-1"));
    fleet.recordSample("a", sample(1, 3000, "GOOD"));
    fleet.recordSample("b", sample(1, 2500, "GOOD"));

    fleet.connected(rig("a", "site-2"));

    assertThat(fleet.estimatedW("site-1")).isEqualTo(2500);
    assertThat(fleet.estimatedW("site-2")).isEqualTo(3000);
    assertThat(fleet.siteLoad("site-1").rigsKnown()).isEqualTo(1);
    assertThat(fleet.estimatedW("unknown-site")).isZero();
  }

  @Test
  void rigsOfSiteComeSortedByRigIdWhateverTheOrderTheyArrived() {
    for (String id : List.of("rig-7", "rig-10", "rig-2", "rig-1")) {
      fleet.connected(rig(id, "site-1"));
    }

    assertThat(fleet.rigsOfSite("site-1"))
        .extracting(RigView::rigId)
        .containsExactly("rig-1", "rig-10", "rig-2", "rig-7");
    assertThat(fleet.rigsOfSite("unknown-site")).isEmpty();
  }

  @Test
  void countsTheRigsHoldingAnEventsCommand() {
    fleet.connected(rig("a", "site-1"));
    fleet.connected(rig("b", "site-1"));
    fleet.connected(rig("c", "site-1"));
    fleet.holdCommand("a", new HeldCommand("cmd-1", "ev-1", new Setpoint.Sleep(), clock.instant()));
    fleet.holdCommand("b", new HeldCommand("cmd-2", "ev-2", new Setpoint.Sleep(), clock.instant()));

    assertThat(fleet.rigsHoldingCommandOf("site-1", "ev-1")).isEqualTo(1);
    fleet.releaseCommand("a", "ev-1");
    assertThat(fleet.rigsHoldingCommandOf("site-1", "ev-1")).isZero();
    assertThat(fleet.rigsHoldingCommandOf("site-1", "ev-2")).isEqualTo(1);
  }

  @Test
  void indexAndRunningSumStayExactUnderConcurrentSamplesSessionsAndMoves() throws Exception {
    int rigCount = 400;
    List<String> siteIds = List.of("site-1", "site-2", "site-3");
    for (int i = 0; i < rigCount; i++) {
      fleet.connected(rig("rig-" + i, siteIds.get(i % 3)));
    }
    int threads = 4;
    int rounds = 3_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> work = new ArrayList<>();
    // Samplers race on the same rigs with out-of-order sequences; powers are multiples of 0.25 W
    // so every sum below is exact in a double.
    for (int t = 0; t < threads; t++) {
      int seed = t;
      work.add(
          pool.submit(
              () -> {
                go.await();
                Random random = new Random(seed);
                for (int r = 0; r < rounds; r++) {
                  String id = "rig-" + random.nextInt(rigCount);
                  long seq = random.nextInt(1_000);
                  String quality = random.nextInt(10) == 0 ? "BAD" : "GOOD";
                  fleet.recordSample(id, sample(seq, seq * 2.25, quality));
                  if (r % 50 == 0) {
                    fleet.disconnected(id, fleet.connected(rig(id, siteIds.get(r % 3))));
                  }
                }
                return null;
              }));
    }
    // A mover keeps re-registering rigs at other sites (a rig moved by its operator).
    work.add(
        pool.submit(
            () -> {
              go.await();
              Random random = new Random(99);
              for (int r = 0; r < rounds; r++) {
                int i = random.nextInt(rigCount);
                fleet.restore(rig("rig-" + i, siteIds.get(random.nextInt(3))), 0);
              }
              return null;
            }));
    go.countDown();
    for (Future<?> f : work) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    Set<String> seen = new HashSet<>();
    int known = 0;
    for (String site : siteIds) {
      List<RigView> views = fleet.rigsOfSite(site);
      double expected = 0;
      for (RigView view : views) {
        assertThat(view.registration().siteId()).isEqualTo(site);
        assertThat(seen.add(view.rigId())).as("%s in one site only", view.rigId()).isTrue();
        expected += view.latest().filter(RigSample::powerUsable).map(RigSample::powerW).orElse(0.0);
      }
      assertThat(views).extracting(RigView::rigId).isSorted();
      assertThat(fleet.estimatedW(site)).as(site).isEqualTo(expected);
      assertThat(fleet.siteLoad(site).estimatedW()).as(site).isEqualTo(expected);
      assertThat(fleet.siteLoad(site).rigsKnown()).isEqualTo(views.size());
      known += views.size();
    }
    assertThat(known).isEqualTo(rigCount);
    assertThat(seen).hasSize(rigCount);
  }
}
