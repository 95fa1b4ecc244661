package io.flexrig.controller.price;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.controller.MutableClock;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.controller.events.SimulatedSite;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.RealTimePowerPrice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The price-driven loop over a simulated site of packaged models, a real SQLite store and the seed
 * real-time price spike, ticked by hand on a clock the test moves.
 */
@Tag("integration")
class PriceCurtailmentTest {

  private static final RealTimePowerPrice SPIKE = EconomicsSeeds.builtIn().realTimeSpike();
  private static final Instant SPIKE_START = SPIKE.intervals().getFirst().start();

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(SPIKE_START.plusSeconds(10));
  private final AtomicBoolean gridEvent = new AtomicBoolean();
  private ControllerStore store;
  private SimulatedSite site;
  private PriceCurtailment loop;
  private SimulatedSite.Rig s19;
  private SimulatedSite.Rig s21;
  private SimulatedSite.Rig gpu;
  private SimulatedSite.Rig h100;

  @BeforeEach
  void start() {
    store = ControllerStore.open(dir.resolve("controller.db"));
    FleetState fleet = new FleetState(clock, Duration.ofDays(1));
    site = new SimulatedSite(fleet, store, clock);
    s19 = site.add("s19", "antminer-s19j-pro");
    s21 = site.add("s21", "antminer-s21");
    gpu = site.add("gpu", "gpu-rig-8x-rtx4090");
    h100 = site.add("h100", "hgx-h100-8x");
    loop =
        new PriceCurtailment(
            fleet,
            site,
            store,
            StrikeBook.seeds(),
            SPIKE,
            PeakAvoidance.none(),
            PricePlanner.standard(),
            siteId -> gridEvent.get(),
            clock);
  }

  @AfterEach
  void stop() {
    loop.close();
    site.close();
    store.close();
  }

  private void at(int minutesIntoSpike) {
    clock.advance(
        Duration.between(clock.instant(), SPIKE_START.plus(Duration.ofMinutes(minutesIntoSpike))));
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void curtailsEachRigAboveItsBreakEvenAndReleasesItWhenThePriceFalls() {
    assertThat(loop.tick()).isZero(); // 32 USD/MWh

    at(20); // 410 USD/MWh
    loop.tick();
    assertThat(s19.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(s21.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SET_POWER_TARGET);
    assertThat(gpu.commands.getLast().powerW()).isEqualTo(2500);
    assertThat(h100.commands).isEmpty();
    assertThat(gpu.commands.getLast().eventId()).isEqualTo("price:" + SimulatedSite.SITE);

    at(25); // 1,250 USD/MWh, but the RTX 4090 changed 5 minutes ago: hold time just passed
    loop.tick();
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(h100.commands.getLast().powerW()).isEqualTo(6400);

    at(60); // 41 USD/MWh after the spike
    loop.tick();
    assertThat(s21.lastAction()).isEqualTo(RigCommand.Action.RELEASE);
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.RELEASE);
    assertThat(h100.lastAction()).isEqualTo(RigCommand.Action.RELEASE);
    // 41 USD/MWh is still above the S19j Pro's first strike: it wakes into 2500 W, not nameplate.
    assertThat(s19.lastAction()).isEqualTo(RigCommand.Action.SET_POWER_TARGET);
    assertThat(s19.commands.getLast().powerW()).isEqualTo(2500);

    int sent = s19.commands.size() + s21.commands.size() + gpu.commands.size();
    clock.advance(Duration.ofMinutes(1));
    assertThat(loop.tick()).isZero();
    assertThat(s19.commands.size() + s21.commands.size() + gpu.commands.size()).isEqualTo(sent);
  }

  @Test
  void leavesASiteUnderAGridEventToTheEventsDispatcher() {
    gridEvent.set(true);
    at(35); // 5,000 USD/MWh

    assertThat(loop.tick()).isZero();
    assertThat(s19.commands).isEmpty();
  }
}
