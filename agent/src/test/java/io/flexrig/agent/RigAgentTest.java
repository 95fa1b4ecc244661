package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.context.Context;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The whole agent against a simulated site and a test controller, over real sockets. */
@Tag("integration")
class RigAgentTest {
  private final HardwareProfile profile = TestProfiles.s19jPro();
  private SimulatedSite site;
  private TestController controller;
  private Context pi4j;
  private RigAgent agent;

  @BeforeEach
  void start() {
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec("rig-1", profile)));
    controller = new TestController().start();
    agent =
        new RigAgent(
            SimulatedRigs.agentConfigWithShunt(
                    site, "rig-1", "site-a", profile, controller.target())
                .pi4j(() -> pi4j = SimulatedRigs.pi4j(site))
                .build());
    agent.start();
  }

  @AfterEach
  void stop() throws Exception {
    agent.close();
    controller.close();
    site.close();
    assertThat(pi4j == null || pi4j.isShutdown())
        .as("the agent shuts its Pi4J context down")
        .isTrue();
  }

  @Test
  void helloAndTelemetryCarryMeasuredPowerHashrateAndFrequencyFromEverySource() {
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                controller.stored.values().stream()
                    .anyMatch(
                        s ->
                            s.getPowerQuality() == Quality.QUALITY_GOOD
                                && s.getHashrateQuality() == Quality.QUALITY_GOOD
                                && s.getGridFrequencyQuality() == Quality.QUALITY_GOOD
                                // frequency comes on the fast subscription, the outlet's power
                                // with the next telemetry publish: wait for both
                                && s.getReadingsList().stream()
                                    .anyMatch(r -> r.getName().equals("outlet_power"))));

    assertThat(agent.degradedSensors()).isEmpty();
    assertThat(controller.hellos.getFirst().getRig().getHardwareProfileId())
        .isEqualTo("antminer-s19j-pro");
    assertThat(controller.hellos.getFirst().getCapabilitiesCount()).isEqualTo(3);
    assertThat(controller.hellos.getFirst().getNameplate().getPowerW()).isEqualTo(3068);
    TelemetrySample last =
        controller.stored.values().stream()
            .filter(
                s ->
                    s.getPowerQuality() == Quality.QUALITY_GOOD
                        && s.getReadingsList().stream()
                            .anyMatch(r -> r.getName().equals("outlet_power")))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(last.getPowerW()).isBetween(3000.0, 3130.0);
    assertThat(last.getHashrateThs()).isBetween(95.0, 110.0);
    assertThat(last.getGridFrequencyHz()).isBetween(59.9, 60.1);
    assertThat(last.getState()).isEqualTo(RigState.RIG_STATE_RUNNING);
    assertThat(last.getReadingsList())
        .extracting(io.flexrig.proto.v1.Reading::getName)
        .contains(
            "outlet_power", "dc_power", "miner.power", "miner.chip_temp_max", "grid_frequency");
    RigSnapshot snapshot = agent.latestSnapshot();
    assertThat(snapshot.powerW().source()).isEqualTo(RigSnapshot.OUTLET_POWER);
    assertThat(snapshot.powerW().quality()).isEqualTo(io.flexrig.agent.source.Quality.GOOD);
    assertThat(controller.stored.keySet()).first().isEqualTo(1L);
    assertThat(controller.storedThrough()).isEqualTo(controller.stored.size());
    assertThat(controller.duplicates.get()).isZero();
  }

  @Test
  void whileTheOpcUaServerRestartsNoReadingStaysGoodWithoutFreshData() throws Exception {
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                agent.latestSnapshot() != null
                    && agent.latestSnapshot().gridFrequencyHz().quality()
                        == io.flexrig.agent.source.Quality.GOOD);
    int port = site.opcUaServer().port();
    site.opcUaServer().close();
    Instant down = Instant.now();
    // Three telemetry intervals (250 ms each) without news make a reading UNCERTAIN: after that,
    // and for as long as the server is away, no snapshot may call the OPC UA values GOOD.
    Duration uncertainAfter = Duration.ofMillis(750);
    List<RigSnapshot> whileDown = new ArrayList<>();
    while (Duration.between(down, Instant.now()).toMillis() < 3_000) {
      whileDown.add(agent.latestSnapshot());
      Thread.sleep(50);
    }
    assertThat(whileDown)
        .filteredOn(
            s -> s.sampledAt().isAfter(down.plus(uncertainAfter).plus(Duration.ofMillis(300))))
        .isNotEmpty()
        .allSatisfy(
            s -> {
              assertThat(s.gridFrequencyHz().quality())
                  .isNotEqualTo(io.flexrig.agent.source.Quality.GOOD);
              assertThat(s.readings())
                  .filteredOn(r -> r.name().equals(RigSnapshot.OUTLET_POWER))
                  .allSatisfy(
                      r ->
                          assertThat(r.quality())
                              .isNotEqualTo(io.flexrig.agent.source.Quality.GOOD));
              // The rest of the rig still flows: power falls back to the shunt monitor.
              assertThat(s.powerW().source()).isNotEqualTo(RigSnapshot.OUTLET_POWER);
              assertThat(s.powerW().usable()).isTrue();
            });

    try (SiteOpcUaServer restarted = new SiteOpcUaServer(site.rigs(), port).start()) {
      restarted.setGridFrequencyHz(59.95);
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () -> {
                RigSnapshot s = agent.latestSnapshot();
                return s.gridFrequencyHz().quality() == io.flexrig.agent.source.Quality.GOOD
                    && Math.abs(s.gridFrequencyHz().value() - 59.95) < 0.02
                    && RigSnapshot.OUTLET_POWER.equals(s.powerW().source());
              });
      agent.close();
    }
  }

  @Test
  void setPowerTargetIsAcknowledgedAndReportedAchievedOnceTheOutletMeasuresIt() {
    await().atMost(15, TimeUnit.SECONDS).until(controller::hasSession);
    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("cmd-1")
            .setEventId("event-1")
            .setIssuedAt(FleetMessages.timestamp(now))
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(20)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2500))
            .build());

    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    assertThat(controller.acks.getFirst().getAccepted()).isTrue();
    assertThat(controller.acks.getFirst().getAppliedPowerW()).isEqualTo(2500);
    assertThat(site.rig("rig-1").powerTargetW()).isEqualTo(2500);

    await().atMost(20, TimeUnit.SECONDS).until(() -> !controller.results.isEmpty());
    var result = controller.results.getFirst();
    assertThat(result.getCommandId()).isEqualTo("cmd-1");
    assertThat(result.getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_ACHIEVED);
    assertThat(result.getMeasuredPowerW()).isLessThanOrEqualTo(2500 + 75);
    assertThat(site.rig("rig-1").powerW()).isLessThanOrEqualTo(2575);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                controller.stored.values().stream()
                    .anyMatch(
                        s ->
                            s.getState() == RigState.RIG_STATE_CURTAILED
                                && s.getPowerTargetW() == 2500));
  }

  @Test
  void aCommandBelowTheLimitsIsClampedAndTheClampReported() {
    await().atMost(15, TimeUnit.SECONDS).until(controller::hasSession);
    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("cmd-low")
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(30)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(500))
            .build());

    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    assertThat(controller.acks.getFirst().getClamped()).isTrue();
    assertThat(controller.acks.getFirst().getAppliedPowerW()).isEqualTo(1500);
    assertThat(site.rig("rig-1").powerTargetW()).isEqualTo(1500);
  }

  @Test
  void curtailmentHoldsAfterTheControllerLinkIsLostAndIsReleasedAtItsExpiry() throws Exception {
    await().atMost(15, TimeUnit.SECONDS).until(controller::hasSession);
    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("cmd-hold")
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(20)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(6)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2000))
            .build());
    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    controller.stop();

    await().atMost(3, TimeUnit.SECONDS).until(() -> !agent.connected());
    assertThat(site.rig("rig-1").powerTargetW()).isEqualTo(2000);
    assertThat(Instant.now()).isBefore(now.plusSeconds(6));

    await().atMost(10, TimeUnit.SECONDS).until(() -> site.rig("rig-1").powerTargetW() == 3068);
    assertThat(Instant.now()).isAfterOrEqualTo(now.plusSeconds(6));
  }

  @Test
  void aSensorThatCannotBeOpenedIsReportedAndTheRestKeepsWorking() throws Exception {
    agent.close();
    RigEndpoints e = site.endpoints("rig-1");
    agent =
        new RigAgent(
            SimulatedRigs.agentConfigWithShunt(
                    site, "rig-1", "site-a", profile, controller.target())
                .sensorAddressOverrides(
                    Map.of(
                        "miner_api", e.cgminerAddress(),
                        "outlet_power", e.outletPowerNode(),
                        "grid_frequency", e.gridFrequencyNode(),
                        "dc_power", "i2c:9/0x45/ina226"))
                .pi4j(() -> pi4j = SimulatedRigs.pi4j(site))
                .build());
    agent.start();

    assertThat(agent.degradedSensors()).containsExactly("dc_power");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                controller.alarms.stream()
                    .anyMatch(
                        a ->
                            a.getCode().equals("SOURCE_DOWN")
                                && a.getMessage().startsWith("dc_power")));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> agent.latestSnapshot().powerW().source().equals(RigSnapshot.OUTLET_POWER));
  }

  @Test
  @Tag("reliability")
  void aCommandGivenWhileTheMinerApiIsAwayIsAppliedWhenTheApiReturns() throws Exception {
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                controller.hasSession()
                    && agent.latestSnapshot() != null
                    && agent.latestSnapshot().hashrateThs().quality()
                        == io.flexrig.agent.source.Quality.GOOD);
    int port = site.minerApi("rig-1").port();
    site.minerApi("rig-1").close();
    Instant down = Instant.now();
    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("cmd-away")
            .setEventId("event-away")
            .setIssuedAt(FleetMessages.timestamp(now))
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(30)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2200))
            .build());
    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    assertThat(controller.acks.getFirst().getAccepted())
        .as("accepted and journaled even though the knob cannot be reached yet")
        .isTrue();
    int storedBefore = controller.stored.size();
    Thread.sleep(2_000);

    RigSnapshot whileAway = agent.latestSnapshot();
    assertThat(whileAway.sampledAt()).isAfter(down.plusSeconds(1));
    assertThat(whileAway.hashrateThs().quality())
        .as("no hashrate passes for fresh while the miner API is away")
        .isNotEqualTo(io.flexrig.agent.source.Quality.GOOD);
    assertThat(whileAway.powerW().usable()).as("power still flows from the meters").isTrue();
    assertThat(controller.stored.size()).as("telemetry keeps flowing").isGreaterThan(storedBefore);
    assertThat(site.rig("rig-1").powerTargetW()).isEqualTo(profile.nameplate().powerW());

    try (var back = new io.flexrig.sim.cgminer.CgminerApiServer(site.rig("rig-1"), port).start()) {
      await()
          .atMost(30, TimeUnit.SECONDS)
          .alias("the held command reaches the miner once its API is back")
          .until(() -> site.rig("rig-1").powerTargetW() == 2200);
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  agent.latestSnapshot().hashrateThs().quality()
                      == io.flexrig.agent.source.Quality.GOOD);
      agent.close();
    }
    io.flexrig.testkit.SuiteFigures.record(
        RigAgentTest.class, "miner API outages during a curtailment command", 1);
  }
}
