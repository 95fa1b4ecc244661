package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.control.CommandExecutor;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.testkit.SuiteFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as it runs on a board: {@link AgentMain} in its own JVM, killed with SIGKILL in the
 * middle of a curtailment and started again, against a simulated site and a test controller.
 */
@Tag("integration")
class AgentRestartTest {
  private static final Path PROFILE =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .resolve("antminer-s19j-pro.yaml")
          .toAbsolutePath();

  @TempDir Path dir;
  private SimulatedSite site;
  private TestController controller;
  private Process agent;
  private final ScheduledExecutorService meter = Executors.newSingleThreadScheduledExecutor();

  /** One reading of the simulated rig's wall power. */
  record PowerSample(Instant at, double watts) {}

  @AfterEach
  void stop() throws Exception {
    meter.shutdownNow();
    for (String run : List.of("first", "second")) {
      Path log = dir.resolve("agent-" + run + ".log");
      if (Files.exists(log)) {
        Files.copy(
            log,
            Path.of("target", "AgentRestartTest-agent-" + run + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (agent != null) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (controller != null) {
      controller.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void anAgentKilledDuringAnEventComesBackCurtailedAndReleasesOnlyAtTheEventEnd() throws Exception {
    HardwareProfile profile = ProfileLoader.load(PROFILE);
    site =
        SimulatedSite.start(
            List.of(new SimulatedSite.RigSpec("rig-1", profile)),
            new SimulatedSite.Settings(false, 4.0));
    SimulatedRig rig = site.rig("rig-1");
    controller = new TestController().start();
    Path config = writeConfig(site.endpoints("rig-1"));
    List<PowerSample> samples = new CopyOnWriteArrayList<>();
    meter.scheduleAtFixedRate(
        () -> samples.add(new PowerSample(Instant.now(), rig.powerW())),
        0,
        100,
        TimeUnit.MILLISECONDS);

    agent = startAgent(config, "first");
    await().atMost(30, TimeUnit.SECONDS).until(controller::hasSession);
    double targetW = 2000;
    double ceilingW = targetW + CommandExecutor.tolerance(targetW);
    Instant sent = Instant.now();
    Instant eventEnd = sent.plusSeconds(16);
    controller.send(
        Command.newBuilder()
            .setCommandId("event-7-rig-1")
            .setEventId("event-7")
            .setIssuedAt(FleetMessages.timestamp(sent))
            .setDeadline(FleetMessages.timestamp(sent.plusSeconds(25)))
            .setExpiresAt(FleetMessages.timestamp(eventEnd))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(targetW))
            .build());
    await().atMost(10, TimeUnit.SECONDS).until(() -> !controller.acks.isEmpty());
    assertThat(controller.acks.getFirst().getAccepted()).isTrue();
    await().atMost(10, TimeUnit.SECONDS).until(() -> rig.powerW() <= ceilingW);
    Instant reached = Instant.now();

    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(agent.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    controller.stop();
    controller.restart();
    agent = startAgent(config, "second");

    await().atMost(30, TimeUnit.SECONDS).until(() -> controller.hellos.size() == 2);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .alias("the restarted agent reports the journaled target, not a fresh start")
        .until(
            () ->
                controller.stored.values().stream()
                    .anyMatch(
                        s ->
                            FleetMessagesTimes.after(s.getSampledAt(), reached)
                                && s.getState() == RigState.RIG_STATE_CURTAILED
                                && s.getPowerTargetW() == targetW));
    assertThat(Instant.now()).as("the test ran its checks inside the event").isBefore(eventEnd);

    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> rig.powerTargetW() == profile.nameplate().powerW());
    Instant released = Instant.now();
    await().atMost(10, TimeUnit.SECONDS).until(() -> rig.powerW() > ceilingW + 200);

    assertThat(released).as("released only at the event end").isAfterOrEqualTo(eventEnd);
    List<PowerSample> duringEvent =
        samples.stream().filter(s -> s.at().isAfter(reached) && s.at().isBefore(eventEnd)).toList();
    assertThat(duringEvent).hasSizeGreaterThan(50);
    assertThat(duringEvent).allSatisfy(s -> assertThat(s.watts()).isLessThanOrEqualTo(ceilingW));
    SuiteFigures.record(AgentRestartTest.class, "agent kill -9 during a curtailment", 1);
    SuiteFigures.record(
        AgentRestartTest.class, "rig power samples above the setpoint in the event", 0);
  }

  private Path writeConfig(RigEndpoints e) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "rig_id: rig-1",
            "site_id: site-a",
            "profile: " + PROFILE,
            "controller: " + controller.target(),
            "opcua_endpoint: " + site.opcUaEndpointUrl(),
            "telemetry_interval_ms: 200",
            "max_reconnect_backoff_ms: 300",
            "state_dir: state",
            "sensors:",
            "  miner_api: " + e.cgminerAddress(),
            "  outlet_power: \"" + e.outletPowerNode() + "\"",
            "  grid_frequency: \"" + e.gridFrequencyNode() + "\"",
            // the simulator's I2C bus lives in this JVM; the child has no I2C to reach
            "  dc_power: \"" + e.outletPowerNode() + "\"",
            ""));
    return file;
  }

  private Process startAgent(Path config, String run) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            AgentMain.class.getName(),
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + run + ".log").toFile())
        .start();
  }

  /** Timestamp comparisons for wire samples. */
  private static final class FleetMessagesTimes {
    static boolean after(com.google.protobuf.Timestamp t, Instant i) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).isAfter(i);
    }
  }
}
