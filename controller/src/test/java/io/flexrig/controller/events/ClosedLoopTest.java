package io.flexrig.controller.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.dispatch.Dispatcher;
import io.flexrig.controller.dispatch.Pacing;
import io.flexrig.controller.dispatch.ProfileValuation;
import io.flexrig.controller.dispatch.RevenueCurve;
import io.flexrig.controller.dispatch.RigValuation;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.store.ControllerStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's closed loop on measured site power, on a simulated site of packaged rig models with
 * a real SQLite store: it gives load back when the site sheds more than asked, dearest rigs first,
 * respecting hold and minimum off-times, and does not flap.
 */
@Tag("integration")
class ClosedLoopTest {

  private static final CurtailmentEventRunner.Timing FAST =
      new CurtailmentEventRunner.Timing(
          Duration.ofMillis(200),
          Duration.ofMillis(100),
          Duration.ofMillis(300),
          Duration.ofSeconds(5),
          Duration.ofHours(1),
          Duration.ofMillis(100));

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private ControllerStore store;
  private SimulatedSite site;
  private CurtailmentEventRunner runner;

  private void start(RigValuation valuation) {
    store = ControllerStore.open(dir.resolve("controller.db"));
    FleetState fleet = new FleetState(clock);
    site = new SimulatedSite(fleet, store, clock);
    runner =
        new CurtailmentEventRunner(
            fleet,
            store,
            site,
            new Dispatcher(0.025, 0.02, Duration.ofMillis(500)),
            valuation,
            clock,
            FAST);
  }

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

  private CurtailmentEvent capAt(double kw) throws Exception {
    return runner
        .create(
            new EventRequest(
                SimulatedSite.SITE,
                "req-" + System.nanoTime(),
                Optional.of(new EventTarget.Cap(kw)),
                Optional.empty(),
                Duration.ofSeconds(5),
                Optional.of(Instant.now().plusSeconds(60)),
                "test"))
        .get();
  }

  @Test
  void givesLoadBackToTheBestRigFirstWhenOtherLoadDropsAndThenHoldsSteady() throws Exception {
    start(ProfileValuation.seeds());
    SimulatedSite.Rig s19 = site.add("s19", "antminer-s19j-pro");
    SimulatedSite.Rig s21 = site.add("s21", "antminer-s21");
    SimulatedSite.Rig gpu = site.add("gpu", "gpu-rig-8x-rtx4090");
    SimulatedSite.Rig chiller = site.addUncontrolled("chiller", 3000);
    double fullW = site.sitePowerW();
    double targetW = fullW - 4000;

    CurtailmentEvent event = capAt(targetW / 1000);
    await().atMost(Duration.ofSeconds(5)).until(() -> site.sitePowerW() <= targetW);
    // Least revenue per watt first: the S19j Pro sleeps, the S21 gives its top, the GPU keeps
    // its AI work.
    assertThat(s19.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(s21.lastAction()).isEqualTo(RigCommand.Action.SET_POWER_TARGET);
    assertThat(gpu.commands).isEmpty();
    double s21Curtailed = s21.powerW;

    // The chiller stops by itself: the site now sheds 3 kW more than asked.
    chiller.powerW = 0;

    // The S21 (most revenue per watt of the curtailed rigs) gets its load back; the S19j Pro stays
    // asleep for its 60 s minimum off-time.
    await().atMost(Duration.ofSeconds(5)).until(() -> s21.powerW > s21Curtailed);
    assertThat(s19.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(site.sitePowerW()).isLessThanOrEqualTo(targetW);

    // The S21 had 1.2 kW curtailed, less than the 3 kW of room: it is released outright.
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> s21.lastAction() == RigCommand.Action.RELEASE);
    // No flapping: once settled, nothing more is sent.
    int sent = s19.commands.size() + s21.commands.size() + gpu.commands.size();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> s19.commands.size() + s21.commands.size() + gpu.commands.size() == sent);
    assertThat(runner.status(event.eventId()).measuredKw() * 1000).isLessThanOrEqualTo(targetW);
  }

  @Test
  void aSleepingRigIsWokenOnlyAfterItsMinimumOffTime() throws Exception {
    RigValuation seeds = ProfileValuation.seeds();
    RigValuation shortOff =
        new RigValuation() {
          @Override
          public Optional<RevenueCurve> revenue(String profileId) {
            return seeds.revenue(profileId);
          }

          @Override
          public Pacing pacing(String profileId) {
            return new Pacing(0, 0, 1.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
          }
        };
    start(shortOff);
    SimulatedSite.Rig s19 = site.add("s19", "antminer-s19j-pro");
    site.add("s21", "antminer-s21");
    SimulatedSite.Rig chiller = site.addUncontrolled("chiller", 3500);
    double targetW = site.sitePowerW() - 3200;

    capAt(targetW / 1000);
    await().atMost(Duration.ofSeconds(5)).until(() -> s19.lastAction() == RigCommand.Action.SLEEP);
    Instant sleptAt = s19.commandTimes.getLast();
    chiller.powerW = 0;

    await().atMost(Duration.ofSeconds(6)).until(() -> s19.lastAction() != RigCommand.Action.SLEEP);
    Instant wokeAt = s19.commandTimes.getLast();
    assertThat(Duration.between(sleptAt, wokeAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(site.sitePowerW()).isLessThanOrEqualTo(targetW);
  }
}
