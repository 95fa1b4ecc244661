package io.flexrig.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.RigAgent;
import io.flexrig.agent.SimulatedRigs;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.core.profile.TemperatureLimit;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAccumulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The safety loop inside a whole agent, against the simulator's thermal physics (5x time). */
@Tag("integration")
class SafetyLoopSimulatorTest {
  private static final Duration SAMPLE = Duration.ofMillis(250);
  private SimulatedSite site;
  private TestController controller;
  private RigAgent agent;
  private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();

  private void start(HardwareProfile profile) {
    site =
        SimulatedSite.start(
            List.of(new SimulatedSite.RigSpec("rig-1", profile)),
            new SimulatedSite.Settings(false, 5.0));
    controller = new TestController().start();
    RigEndpoints e = site.endpoints("rig-1");
    agent =
        new RigAgent(
            SimulatedRigs.agentConfig(site, "rig-1", "site-a", profile, controller.target())
                .sensorAddressOverrides(
                    Map.of(
                        "miner_api",
                        e.cgminerAddress(),
                        "outlet_power",
                        e.outletPowerNode(),
                        RigAgent.OUTLET_SWITCH,
                        e.outletSwitchNode()))
                .telemetryInterval(SAMPLE)
                .build());
    agent.start();
    await().atMost(15, TimeUnit.SECONDS).until(controller::hasSession);
  }

  private static List<SensorSpec> sensors() {
    return List.of(
        new SensorSpec("miner_api", "cgminer://127.0.0.1:4028", Map.of()),
        new SensorSpec(
            "outlet_power", "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW", Map.of()));
  }

  @AfterEach
  void stop() throws Exception {
    probe.shutdownNow();
    if (agent != null) {
      agent.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void aFailedFanIsDeratedOnTheFirstSampleThatShowsItAndCutBeforeTheCriticalChipTemperature() {
    HardwareProfile profile = TestProfiles.s19jPro(sensors());
    start(profile);
    SimulatedRig rig = site.rig("rig-1");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> controller.stored.values().stream().anyMatch(s -> fansStopped(s) == 0));
    DoubleAccumulator hottestChip = new DoubleAccumulator(Math::max, rig.chipTempC());
    probe.scheduleAtFixedRate(
        () -> hottestChip.accumulate(rig.chipTempC()), 0, 20, TimeUnit.MILLISECONDS);

    rig.failFan(true);

    await().atMost(15, TimeUnit.SECONDS).until(rig::isSleeping);
    await().atMost(5, TimeUnit.SECONDS).until(() -> rig.powerW() < 100);
    await().pollDelay(Duration.ofSeconds(1)).atMost(5, TimeUnit.SECONDS).until(() -> true);
    double critical = profile.limits().chipTempC().criticalC();
    assertThat(hottestChip.get()).as("hottest chip").isLessThan(critical);
    assertThat(hottestChip.get()).as("the fan did heat the chips").isGreaterThan(75);

    List<TelemetrySample> samples = new ArrayList<>(controller.stored.values());
    int firstFailed = -1;
    for (int i = 0; i < samples.size(); i++) {
      if (fansStopped(samples.get(i)) > 0 && samples.get(i).getPowerW() > 1000) {
        firstFailed = i;
        break;
      }
    }
    assertThat(firstFailed).as("a sample reports the failed fan").isNotNegative();
    Instant seen = instant(samples.get(firstFailed).getSampledAt());
    Instant derated = instant(alarm("THERMAL_DERATE").getRaisedAt());
    assertThat(derated).as("derated on the very sample that showed the failure").isEqualTo(seen);
    assertThat(samples.get(firstFailed - 1).getState()).isEqualTo(RigState.RIG_STATE_RUNNING);
    assertThat(
            samples.subList(firstFailed + 1, samples.size()).stream()
                .filter(t -> t.getState() == RigState.RIG_STATE_SAFETY_LIMITED)
                .findFirst()
                .orElseThrow()
                .getPowerTargetW())
        .isLessThanOrEqualTo(profile.limits().minPowerTargetW());
    assertThat(codes()).containsSubsequence("FAN_FAILURE", "THERMAL_DERATE", "THERMAL_CUT");
    assertThat(alarm("THERMAL_CUT").getSeverity())
        .isEqualTo(io.flexrig.proto.v1.AlarmSeverity.ALARM_SEVERITY_CRITICAL);
  }

  @Test
  void aCommandToRaisePowerDuringADerateIsClampedToTheCeilingAndTheClampReported() {
    HardwareProfile s19 = TestProfiles.s19jPro(sensors());
    Limits l = s19.limits();
    // derate at 70 C: the stock 74 C chips are already too hot, fans fine
    Limits hot =
        new Limits(
            l.maxPowerW(),
            l.minPowerTargetW(),
            l.sleepPowerW(),
            new TemperatureLimit(70, 95),
            l.boardTempC(),
            l.inletTempC(),
            l.minFanRpm(),
            l.rampWPerS(),
            l.minOffS(),
            l.minOnS());
    HardwareProfile profile =
        new HardwareProfile(
            s19.id(),
            s19.vendor(),
            s19.model(),
            s19.kind(),
            s19.nameplate(),
            s19.powerCurve(),
            hot,
            s19.thermal(),
            s19.sensors(),
            s19.workloads(),
            s19.curtailment(),
            s19.source());
    start(profile);
    SimulatedRig rig = site.rig("rig-1");
    await().atMost(10, TimeUnit.SECONDS).until(() -> rig.powerTargetW() < 3068);
    double ceiling = agent.safety().ceilingW();
    assertThat(ceiling).isLessThan(3068);

    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("raise")
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(30)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(3200))
            .build());

    await().atMost(5, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    var ack = controller.acks.getFirst();
    assertThat(ack.getAccepted()).isTrue();
    assertThat(ack.getClamped()).isTrue();
    assertThat(ack.getAppliedPowerW()).isLessThanOrEqualTo(ceiling);
    assertThat(ack.getReason()).contains("safety");
    await().atMost(5, TimeUnit.SECONDS).until(() -> codes().contains("CLAMPED"));
    assertThat(rig.powerTargetW()).isLessThanOrEqualTo(ceiling);
    assertThat(codes()).contains("THERMAL_DERATE");
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private List<String> codes() {
    return controller.alarms.stream().map(Alarm::getCode).toList();
  }

  private Alarm alarm(String code) {
    return controller.alarms.stream().filter(a -> a.getCode().equals(code)).findFirst().get();
  }

  private static double fansStopped(TelemetrySample s) {
    return s.getReadingsList().stream()
        .filter(r -> r.getName().equals("miner.fans_stopped"))
        .mapToDouble(io.flexrig.proto.v1.Reading::getValue)
        .findFirst()
        .orElse(-1);
  }
}
