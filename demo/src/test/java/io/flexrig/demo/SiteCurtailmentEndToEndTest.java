package io.flexrig.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.fleet.RigSample;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.SiteStatus;
import io.flexrig.sim.SimulatedRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop over real sockets: simulated rigs speaking cgminer TCP, OPC UA and I2C; one
 * production agent per rig; the fleet controller; a grid operator's event through GridService. The
 * simulator's own rig powers are the ground truth the assertions check.
 */
@Tag("integration")
class SiteCurtailmentEndToEndTest {

  private static final String SITE = "e2e-site";
  // The simulated rigs' physics run four times faster than real time so the test stays short.
  private static final double SPEED = 4;

  @TempDir static Path tempDir;
  private static LocalFleet fleet;
  private static Map<String, HardwareProfile> rigs;

  @BeforeAll
  static void startSite() throws Exception {
    // The new model arrives as one YAML file in a directory of its own: no code knows it.
    Path modelDir = Files.createDirectory(tempDir.resolve("profiles"));
    Path resource = Path.of(SiteCurtailmentEndToEndTest.class.getResource("/new-model").toURI());
    Files.copy(resource.resolve("antminer-s21-xp.yaml"), modelDir.resolve("antminer-s21-xp.yaml"));
    HardwareProfile newModel = ProfileCatalog.load(modelDir).require("antminer-s21-xp");

    ProfileCatalog builtIn = ProfileCatalog.builtIn();
    rigs = new LinkedHashMap<>();
    rigs.put("e2e-r01", builtIn.require("antminer-s19j-pro"));
    rigs.put("e2e-r02", builtIn.require("antminer-s19j-pro"));
    rigs.put("e2e-r03", builtIn.require("whatsminer-m50s"));
    rigs.put("e2e-r04", builtIn.require("antminer-s21"));
    rigs.put("e2e-r05", newModel);
    fleet =
        LocalFleet.start(
            rigs,
            new LocalFleet.Options(
                SITE, Duration.ofMillis(500), SPEED, tempDir.resolve("controller.db")));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions() // NOT_FOUND until the first rig's hello is in
        .until(
            () ->
                site().getRigsConnected() == rigs.size()
                    && allRigsReporting()
                    && site().getMeasuredKw() >= 0.95 * simulatedRigsKw());
  }

  @AfterAll
  static void stopSite() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void gridEventBringsMeasuredSitePowerToTargetBeforeDeadlineAndBackAfterTheEnd() {
    double baselineKw = site().getMeasuredKw();
    double reduceKw = 6;
    Instant start = Instant.now().plusSeconds(1);
    // The response time covers the slowest knob the profiles declare (power target: 15 s), so the
    // dispatcher may use every rig; the simulated rigs get there well before it.
    Instant end = start.plusSeconds(18);
    CurtailmentEvent event =
        fleet
            .grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId(UUID.randomUUID().toString())
                    .setReduceByKw(reduceKw)
                    .setStartAt(FleetDemo.timestamp(start))
                    .setResponseTimeS(16)
                    .setEndAt(FleetDemo.timestamp(end))
                    .build());
    Instant deadline = FleetDemo.instant(event.getDeadline());

    EventStatus met =
        await()
            .atMost(Duration.ofSeconds(18))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> status(event), s -> s.getTargetMet() && s.hasTargetMetAt());

    assertThat(met.getBaselineKw()).isCloseTo(baselineKw, within(1.5));
    assertThat(met.getTargetKw()).isCloseTo(met.getBaselineKw() - reduceKw, within(0.01));
    assertThat(FleetDemo.instant(met.getTargetMetAt())).isBefore(deadline);
    assertThat(met.getDeadlineMet()).isTrue();
    assertThat(met.getRigsCurtailed()).isPositive();
    // Ground truth: what the simulated rigs really draw, not what anyone reported.
    assertThat(simulatedRigsKw()).isLessThanOrEqualTo(met.getTargetKw() + 0.2);

    // The site holds the target until the event ends...
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              EventStatus s = status(event);
              if (s.getEvent().getState() == EventState.EVENT_STATE_ACTIVE) {
                assertThat(s.getMeasuredKw()).isLessThanOrEqualTo(s.getTargetKw() + 0.2);
              }
              assertThat(s.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_COMPLETED);
            });

    // ...and comes back to its load before the event once it is over.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> simulatedRigsKw() >= baselineKw * 0.95 && site().getRigsCurtailed() == 0);
  }

  @Test
  void aRigModelAddedAsOneYamlFileJoinsTheFleetAndReportsMeasuredPower() {
    SimulatedRig rig = fleet.site().rig("e2e-r05");
    assertThat(rig.profile().id()).isEqualTo("antminer-s21-xp");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              RigView view = fleet.controller().fleet().rig("e2e-r05").orElseThrow();
              assertThat(view.connected()).isTrue();
              assertThat(view.registration().hardwareProfileId()).isEqualTo("antminer-s21-xp");
              RigSample latest = view.latest().orElseThrow();
              assertThat(latest.powerUsable()).isTrue();
              // What the controller was told matches what the simulated rig really draws.
              assertThat(latest.powerW()).isCloseTo(rig.powerW(), within(rig.powerW() * 0.05));
              assertThat(latest.hashrateThs()).isPositive();
            });
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static EventStatus status(CurtailmentEvent event) {
    return fleet
        .grid()
        .getEventStatus(GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build());
  }

  private static SiteStatus site() {
    return FleetDemo.siteStatus(fleet, SITE);
  }

  private static boolean allRigsReporting() {
    return fleet.agents().stream().allMatch(a -> a.latestSnapshot() != null);
  }

  private static double simulatedRigsKw() {
    return fleet.site().rigs().stream().mapToDouble(SimulatedRig::powerW).sum() / 1000;
  }
}
