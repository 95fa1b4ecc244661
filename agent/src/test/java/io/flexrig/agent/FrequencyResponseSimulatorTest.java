package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.ArmFrequencyResponse;
import io.flexrig.proto.v1.Command;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fast frequency response end to end: the site meter's frequency over OPC UA to the rig's power.
 */
@Tag("integration")
class FrequencyResponseSimulatorTest {
  private static final double SHED_TO_W = 2000;
  private static final double HOLD_S = 2;
  private SimulatedSite site;
  private TestController controller;
  private RigAgent agent;
  private HardwareProfile profile;

  @BeforeEach
  void start() {
    HardwareProfile s19 =
        TestProfiles.s19jPro(
            List.of(
                new SensorSpec("miner_api", "cgminer://127.0.0.1:4028", Map.of()),
                new SensorSpec(
                    "outlet_power",
                    "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW",
                    Map.of()),
                new SensorSpec(
                    "grid_frequency",
                    "opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz",
                    Map.of())));
    profile =
        new HardwareProfile(
            s19.id(),
            s19.vendor(),
            s19.model(),
            s19.kind(),
            s19.nameplate(),
            s19.powerCurve(),
            s19.limits(),
            s19.thermal(),
            s19.sensors(),
            s19.workloads(),
            s19.curtailment(),
            s19.source(),
            new FrequencyResponse(
                60, 59.85, 59.70, CurtailmentMethodKind.POWER_TARGET, SHED_TO_W, HOLD_S, 59.95));
    site =
        SimulatedSite.start(
            List.of(new SimulatedSite.RigSpec("rig-1", profile)),
            new SimulatedSite.Settings(false, 5.0));
    controller = new TestController().start();
    agent =
        new RigAgent(
            SimulatedRigs.agentConfig(site, "rig-1", "site-a", profile, controller.target())
                .build());
    agent.start();
    await().atMost(15, TimeUnit.SECONDS).until(controller::hasSession);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> agent.latestSnapshot().gridFrequencyHz().valueOr(0) > 59.9);
  }

  @AfterEach
  void stop() throws Exception {
    agent.close();
    controller.close();
    site.close();
  }

  private void arm(boolean armed) {
    controller.send(
        Command.newBuilder()
            .setCommandId("arm-" + armed)
            .setArmFrequencyResponse(
                ArmFrequencyResponse.newBuilder().setArmed(armed).setProgram("ERCOT-FFR"))
            .build());
    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
  }

  @Test
  void anArmedRigShedsBelowTheTripPointByItselfAndRestoresAfterHoldAndRecovery() throws Exception {
    SimulatedRig rig = site.rig("rig-1");
    arm(true);
    assertThat(controller.acks.getFirst().getAccepted()).isTrue();

    site.setGridFrequencyHz(59.80);
    await().atMost(10, TimeUnit.SECONDS).until(() -> rig.powerTargetW() <= SHED_TO_W);
    Instant tripped = Instant.now();
    await().atMost(10, TimeUnit.SECONDS).until(() -> rig.powerW() <= SHED_TO_W);
    await().atMost(5, TimeUnit.SECONDS).until(() -> codes().contains("FFR_TRIPPED"));
    assertThat(alarm("FFR_TRIPPED").getMessage()).contains("ERCOT-FFR");

    // past the hold, but the grid has not recovered: the shed stays
    await().pollDelay(Duration.ofMillis(Math.round(HOLD_S * 1000) + 500)).until(() -> true);
    assertThat(rig.powerTargetW()).isEqualTo(SHED_TO_W);
    assertThat(codes()).doesNotContain("FFR_RESTORED");

    site.setGridFrequencyHz(60.0);
    await().atMost(10, TimeUnit.SECONDS).until(() -> codes().contains("FFR_RESTORED"));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> rig.powerTargetW() == profile.nameplate().powerW());
    assertThat(Duration.between(tripped, Instant.now())).isGreaterThan(Duration.ofSeconds(2));
  }

  @Test
  void aDisarmedRigRidesThroughAFrequencyDipAboveTheRelayPoint() throws Exception {
    arm(false);

    site.setGridFrequencyHz(59.80);
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true);

    assertThat(site.rig("rig-1").powerTargetW()).isEqualTo(profile.nameplate().powerW());
    assertThat(codes()).doesNotContain("FFR_TRIPPED");
  }

  private List<String> codes() {
    return controller.alarms.stream().map(Alarm::getCode).toList();
  }

  private Alarm alarm(String code) {
    return controller.alarms.stream().filter(a -> a.getCode().equals(code)).findFirst().get();
  }
}
