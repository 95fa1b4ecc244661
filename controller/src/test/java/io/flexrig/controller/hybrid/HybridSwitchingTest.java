package io.flexrig.controller.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.controller.MutableClock;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.controller.events.SimulatedSite;
import io.flexrig.controller.events.StandingCommands;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.SeedScenario;
import io.flexrig.core.economics.SwitchingPolicy;
import io.flexrig.core.economics.Workload;
import io.flexrig.core.profile.ProfileCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid site of four Antminer S21 and one 8x RTX 4090 rig sharing a feeder, valued at the latest
 * seed hashprice and an AI rate of 0.12 USD per GPU-hour, ticked by hand while the test moves the
 * clock and the power price.
 */
@Tag("integration")
class HybridSwitchingTest {

  private static final Duration HOLD = Duration.ofHours(1);
  private static final SwitchingPolicy POLICY = new SwitchingPolicy(0.2, HOLD, 0.1);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T12:00:00Z"));
  private final AtomicBoolean gridEvent = new AtomicBoolean();
  private volatile double usdPerKwh = 0.03;
  private ControllerStore store;
  private FleetState fleet;
  private SimulatedSite site;
  private HybridSwitching switching;
  private List<SimulatedSite.Rig> miners;
  private SimulatedSite.Rig gpu;

  @BeforeEach
  void start() {
    store = ControllerStore.open(dir.resolve("controller.db"));
    fleet = new FleetState(clock, Duration.ofDays(1));
    site = new SimulatedSite(fleet, store, clock);
    miners =
        List.of(
            site.add("s21-1", "antminer-s21"),
            site.add("s21-2", "antminer-s21"),
            site.add("s21-3", "antminer-s21"),
            site.add("s21-4", "antminer-s21"));
    gpu = site.add("gpu", "gpu-rig-8x-rtx4090");
    switching = switching(() -> usdPerKwh, gridEvent::get);
  }

  private HybridSwitching switching(DoubleSupplier price, BooleanSupplier underGridEvent) {
    return new HybridSwitching(
        fleet,
        new StandingCommands(fleet, site, store),
        ProfileCatalog.builtIn()::byId,
        SeedScenario.builtIn().latest().hashprice(),
        id -> Optional.of(new AiRevenue(0.12, 1.0)),
        at -> price.getAsDouble(),
        List.of(new HybridSite(SimulatedSite.SITE, POLICY)),
        siteId -> underGridEvent.getAsBoolean(),
        clock);
  }

  @AfterEach
  void stop() {
    switching.close();
    site.close();
    store.close();
  }

  private String eventId() {
    return HybridSwitching.eventIdOf(SimulatedSite.SITE);
  }

  @Test
  void cheapPowerMinesAndSleepsTheGpuSide() {
    switching.tick();

    assertThat(switching.lastDecision(SimulatedSite.SITE).orElseThrow().workload())
        .isEqualTo(Workload.MINING);
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
    assertThat(gpu.commands.getLast().eventId()).isEqualTo(eventId());
    assertThat(miners).allSatisfy(m -> assertThat(m.commands).isEmpty());
  }

  @Test
  void dearPowerMovesTheSiteToAiOnlyAfterTheHoldAndThenSleepsTheMiners() {
    switching.tick(); // mining
    usdPerKwh = 0.09; // mining now earns less than serving AI with the miners asleep

    clock.advance(Duration.ofMinutes(30));
    switching.tick();
    assertThat(switching.lastDecision(SimulatedSite.SITE).orElseThrow().workload())
        .isEqualTo(Workload.MINING);
    assertThat(switching.lastDecision(SimulatedSite.SITE).orElseThrow().reason()).contains("held");
    assertThat(miners).allSatisfy(m -> assertThat(m.commands).isEmpty());

    clock.advance(Duration.ofMinutes(31));
    switching.tick();
    assertThat(switching.lastDecision(SimulatedSite.SITE).orElseThrow().workload())
        .isEqualTo(Workload.AI);
    assertThat(miners)
        .allSatisfy(m -> assertThat(m.lastAction()).isEqualTo(RigCommand.Action.SLEEP));
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.RELEASE);
    assertThat(fleet.rig("gpu").orElseThrow().command()).isEmpty();
  }

  @Test
  void powerDearerThanBothSidesEarnSleepsEverything() {
    usdPerKwh = 0.5;

    switching.tick();

    assertThat(switching.lastDecision(SimulatedSite.SITE).orElseThrow().workload())
        .isEqualTo(Workload.CURTAILED);
    assertThat(miners)
        .allSatisfy(m -> assertThat(m.lastAction()).isEqualTo(RigCommand.Action.SLEEP));
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
  }

  @Test
  void sleepsAreRefreshedBeforeTheyLapseAndNotResentMeanwhile() {
    switching.tick();
    assertThat(gpu.commands).hasSize(1);

    clock.advance(StandingCommands.REFRESH_AFTER.minusSeconds(1));
    assertThat(switching.tick()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(switching.tick()).isEqualTo(1);

    assertThat(gpu.commands).hasSize(2);
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
  }

  @Test
  void aGridEventFreezesTheChoiceButKeepsItsSleepsFresh() {
    switching.tick(); // GPU side asleep
    gridEvent.set(true);
    usdPerKwh = 0.09;

    clock.advance(HOLD.plus(StandingCommands.REFRESH_AFTER));
    switching.tick();

    assertThat(miners).allSatisfy(m -> assertThat(m.commands).isEmpty());
    assertThat(gpu.commands).hasSize(2); // refreshed, not released
    assertThat(gpu.lastAction()).isEqualTo(RigCommand.Action.SLEEP);
  }

  @Test
  void aRigHeldByAnotherEventIsLeftToIt() {
    fleet.holdCommand(
        "gpu",
        new HeldCommand("grid-cmd", "event-7", new Setpoint.PowerTarget(2000), clock.instant()));

    switching.tick();

    assertThat(gpu.commands).isEmpty();
    assertThat(fleet.rig("gpu").orElseThrow().command().orElseThrow().eventId())
        .isEqualTo("event-7");
  }

  @Test
  void aSiteWithoutBothSidesIsNotSwitched() {
    site.close();
    store.close();
    store = ControllerStore.open(dir.resolve("miners-only.db"));
    fleet = new FleetState(clock, Duration.ofDays(1));
    site = new SimulatedSite(fleet, store, clock);
    SimulatedSite.Rig only = site.add("s21", "antminer-s21");
    try (HybridSwitching minersOnly = switching(() -> 0.5, () -> false)) {
      assertThat(minersOnly.tick()).isZero();
      assertThat(only.commands).isEmpty();
      assertThat(minersOnly.lastDecision(SimulatedSite.SITE)).isEmpty();
    }
  }
}
