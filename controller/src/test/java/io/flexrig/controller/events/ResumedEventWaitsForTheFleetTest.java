package io.flexrig.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.dispatch.Dispatcher;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.controller.store.StoredRig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart, an event whose start has passed waits for the rigs its site had before the
 * restart (connected and reporting power), or for the grace period, whichever comes first; its
 * status says so meanwhile. Real SQLite store, the fleet restored from it as at start-up.
 */
@Tag("integration")
class ResumedEventWaitsForTheFleetTest {

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private ControllerStore store;
  private SimulatedSite site;
  private CurtailmentEventRunner runner;
  private FleetState fleet;

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    if (site != null) {
      site.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static CurtailmentEventRunner.Timing timing(Duration grace) {
    return new CurtailmentEventRunner.Timing(
        Duration.ofMillis(200),
        Duration.ofMillis(100),
        Duration.ofMillis(300),
        Duration.ofSeconds(5),
        Duration.ofHours(1),
        Duration.ofMillis(100),
        grace);
  }

  /**
   * Before the restart: a site of an S19j Pro and an S21, and an event (reduce by 1 kW) that was
   * due 10 s ago. Then the "restart": a fresh fleet restored from the store, nobody connected.
   */
  private CurtailmentEvent restartWithAnEventDue(Duration grace) throws Exception {
    store = ControllerStore.open(dir.resolve("controller.db"));
    try (SimulatedSite before = new SimulatedSite(new FleetState(clock), store, clock)) {
      before.add("s19", "antminer-s19j-pro");
      before.add("s21", "antminer-s21");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    CurtailmentEvent due =
        new CurtailmentEvent(
            "ev",
            SimulatedSite.SITE,
            "req-ev",
            new EventTarget.ReduceBy(1),
            now.minusSeconds(10),
            Duration.ofSeconds(30),
            now.plusSeconds(60),
            "test",
            EventState.SCHEDULED,
            now.minusSeconds(60),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());
    store.save(due).get();

    fleet = new FleetState(clock);
    for (StoredRig rig : store.loadRigs()) {
      fleet.restore(rig.registration(), rig.storedThroughSequence());
    }
    site = new SimulatedSite(fleet, store, clock);
    runner = new CurtailmentEventRunner(fleet, store, site, new Dispatcher(), clock, timing(grace));
    runner.resume();
    return due;
  }

  @Test
  void aDueEventWaitsForEveryRigOfItsSiteAndMeasuresItsBaselineOnAllOfThem() throws Exception {
    restartWithAnEventDue(Duration.ofSeconds(30));

    Thread.sleep(500);
    EventStatus waiting = runner.status("ev");
    assertThat(waiting.event().state()).isEqualTo(EventState.SCHEDULED);
    assertThat(waiting.awaitingFleet()).isPresent();
    assertThat(waiting.awaitingFleet().get().rigsBack()).isZero();
    assertThat(waiting.awaitingFleet().get().rigsAwaited()).isEqualTo(2);

    SimulatedSite.Rig s19 = site.add("s19", "antminer-s19j-pro");
    Thread.sleep(500);
    assertThat(runner.status("ev").event().state()).isEqualTo(EventState.SCHEDULED);
    assertThat(runner.status("ev").awaitingFleet().get().rigsBack()).isEqualTo(1);
    SimulatedSite.Rig s21 = site.add("s21", "antminer-s21");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> runner.status("ev").event().state() == EventState.ACTIVE);
    EventStatus started = runner.status("ev");
    assertThat(started.awaitingFleet()).isEmpty();
    double fullKw = (s19.normalW + s21.normalW) / 1000;
    assertThat(started.event().baselineKw().orElseThrow()).isCloseTo(fullKw, within(1e-9));
    await().atMost(Duration.ofSeconds(5)).until(() -> site.sitePowerW() <= (fullKw - 1) * 1000);
  }

  @Test
  void aDueEventStartsWhenTheGraceEndsEvenIfARigStaysAway() throws Exception {
    restartWithAnEventDue(Duration.ofSeconds(2));
    SimulatedSite.Rig s21 = site.add("s21", "antminer-s21");

    Thread.sleep(1000);
    assertThat(runner.status("ev").event().state()).isEqualTo(EventState.SCHEDULED);
    assertThat(runner.status("ev").awaitingFleet().get().rigsBack()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(6))
        .until(() -> runner.status("ev").event().state() == EventState.ACTIVE);
    EventStatus started = runner.status("ev");
    assertThat(started.event().baselineKw().orElseThrow())
        .isCloseTo(s21.normalW / 1000, within(1e-9));
    assertThat(started.awaitingFleet()).isEmpty();
  }
}
