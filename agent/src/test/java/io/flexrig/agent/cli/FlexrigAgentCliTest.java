package io.flexrig.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.status.RigStatus;
import io.flexrig.agent.status.StatusFile;
import io.flexrig.agent.status.TestStatuses;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flexrig-agent}: each command's output and exit code, as a technician sees them. */
class FlexrigAgentCliTest {
  private static final Path PROFILES =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .toAbsolutePath()
          .normalize();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return FlexrigAgentCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void versionNamesTheAgentAndItsRuntime() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("flexrig-agent 0.1.0 (Java ");
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("Usage: flexrig-agent")
        .contains("run", "probe", "profile", "status")
        .contains("Exit codes:")
        .contains("3  status: no fresh status");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run("--frobnicate")).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void runWithoutAConfigExplainsWhereItGoesAndHowToPickAProfile(@TempDir Path dir) {
    Path missing = dir.resolve("agent.yaml");
    assertThat(run("run", missing.toString())).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString())
        .contains("no configuration at " + missing)
        .contains("/etc/flexrig/agent.yaml")
        .contains("rig_id:", "site_id:", "profile:", "controller:")
        .contains("Pick the profile of the rig's model")
        .contains("flexrig-agent profile validate", "flexrig-agent probe");
  }

  @Test
  void theOldCommandLineWithOnlyAConfigPathStillMeansRun(@TempDir Path dir) {
    Path missing = dir.resolve("agent.yaml");
    assertThat(run(missing.toString())).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString()).contains("no configuration at " + missing);
    assertThat(FlexrigAgentCommand.compatible(new String[0])).containsExactly("run");
    assertThat(FlexrigAgentCommand.compatible(new String[] {"/etc/flexrig/agent.yaml"}))
        .containsExactly("run", "/etc/flexrig/agent.yaml");
    assertThat(FlexrigAgentCommand.compatible(new String[] {"status", "--json"}))
        .containsExactly("status", "--json");
  }

  @Test
  void onlyAPlainRunOfAConfigFileBypassesTheFullCommandLine() {
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"/etc/flexrig/agent.yaml"}))
        .isEqualTo(Path.of("/etc/flexrig/agent.yaml"));
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"run", "agent.yaml"}))
        .isEqualTo(Path.of("agent.yaml"));
    assertThat(FlexrigAgentCommand.plainRun(new String[0])).isNull();
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"run"})).isNull();
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"run", "--help"})).isNull();
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"run", "a.yaml", "b.yaml"})).isNull();
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"probe", "agent.yaml"})).isNull();
    assertThat(FlexrigAgentCommand.plainRun(new String[] {"--version"})).isNull();
  }

  @Test
  void runWithAnInvalidConfigNamesFileAndField(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(config, "rig_id: r1\nsite_id: s\nfrobnicate: 1\n");
    assertThat(run("run", config.toString())).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString()).contains(config + ": frobnicate: unknown setting");
  }

  @Test
  void profileValidateAcceptsACheckedInProfile() {
    Path profile = PROFILES.resolve("antminer-s19j-pro.yaml");
    assertThat(run("profile", "validate", profile.toString())).isZero();
    assertThat(out.toString()).contains(profile + ": OK (antminer-s19j-pro");
  }

  @Test
  void profileValidateReportsABrokenProfileWithFileAndLine(@TempDir Path dir) throws Exception {
    Path profile = dir.resolve("broken.yaml");
    Files.writeString(profile, "id: broken\nvendor: X\nmodel: [not, a, string]\n");
    assertThat(run("profile", "validate", profile.toString()))
        .isEqualTo(FlexrigAgentCommand.FAILED);
    assertThat(err.toString()).contains(profile + ":");
  }

  @Test
  void profileValidateWithoutAFileIsAUsageError() {
    assertThat(run("profile", "validate")).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString()).contains("Missing required parameter").contains("FILE");
  }

  @Test
  @Tag("integration")
  void probeOpensEverySensorOfASimulatedRigAndSaysWhatAnswers(@TempDir Path dir) throws Exception {
    HardwareProfile profile = TestProfiles.s19jPro();
    try (SimulatedSite site =
        SimulatedSite.start(List.of(new SimulatedSite.RigSpec("rig-1", profile)))) {
      Path config = config(dir, site, null);
      int exit = run("probe", config.toString());
      assertThat(out.toString())
          .as("the miner and the PDU outlet answer")
          .containsPattern("miner_api .* OK ")
          // the PDU's values stream in: under load the first may come after the probe's one look
          .containsPattern("outlet_power .* (OK|DEGRADED) ");
      // the INA226 needs a real I2C bus: here it cannot be opened, which fails the probe
      assertThat(out.toString()).containsPattern("dc_power.*FAILED");
      assertThat(exit).isEqualTo(FlexrigAgentCommand.FAILED);
    }
  }

  @Test
  void statusShowsTheRunningAgentsState(@TempDir Path dir) throws Exception {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    new StatusFile(dir.resolve("status.json")).offer(status(now, "cmd-7"));

    StatusCommand command = new StatusCommand();
    command.clock = Clock.fixed(now.plusSeconds(4), ZoneOffset.UTC);
    int exit = status(command, "status", "--state-dir", dir.toString());

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("rig-1 (site site-a), Bitmain Antminer S19j Pro")
        .contains("status written 4 s ago")
        .contains("3100.0 W (GOOD, outlet_power), target 2500.0 W")
        .contains("CURTAILED, command cmd-7, setpoint 2500.0 W (clamped)")
        .contains("127.0.0.1:7443 connected, outbox 3 samples");
  }

  @Test
  void statusOfAnAgentThatStoppedWritingIsStale(@TempDir Path dir) throws Exception {
    Instant then = Instant.parse("2026-11-25T12:00:00Z");
    new StatusFile(dir.resolve("status.json")).offer(status(then, ""));

    StatusCommand command = new StatusCommand();
    command.clock = Clock.fixed(then.plusSeconds(300), ZoneOffset.UTC);
    int exit = status(command, "status", "--json", "--state-dir", dir.toString());

    assertThat(exit).isEqualTo(FlexrigAgentCommand.NOT_RUNNING);
    assertThat(out.toString()).contains("\"rig_id\": \"rig-1\"");
    assertThat(err.toString()).contains("STALE: the status was written 5 min ago");
  }

  @Test
  void statusWithoutAStatusFileSaysTheAgentHasNotRun(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(config, "state_dir: state\n");
    assertThat(run("status", config.toString())).isEqualTo(FlexrigAgentCommand.NOT_RUNNING);
    assertThat(err.toString())
        .contains("no status at " + dir.resolve("state").resolve("status.json"));
  }

  @Test
  void statusWithoutAStateDirectoryIsAConfigurationError(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(config, "rig_id: r1\n");
    assertThat(run("status", config.toString())).isEqualTo(FlexrigAgentCommand.CONFIG);
    assertThat(err.toString()).contains("state_dir: not set");
  }

  @Test
  @Tag("integration")
  void runStartsTheAgentWhichStatusThenSeesUntilSigterm(@TempDir Path dir) throws Exception {
    HardwareProfile profile = TestProfiles.s19jPro();
    try (SimulatedSite site =
        SimulatedSite.start(List.of(new SimulatedSite.RigSpec("rig-1", profile)))) {
      Path state = dir.resolve("state");
      Path config = config(dir, site, state);
      String java = ProcessHandle.current().info().command().orElse("java");
      Process agent =
          new ProcessBuilder(
                  java,
                  // which classes load: the disabled SCADA server must not load Milo's server
                  "-Xlog:class+load=info",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.flexrig.agent.AgentMain",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("agent.log").toFile())
              .start();
      try {
        await()
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> Files.exists(state.resolve("status.json")) || !agent.isAlive());
        assertThat(agent.isAlive())
            .as("agent log: %s", Files.readString(dir.resolve("agent.log")))
            .isTrue();
        assertThat(run("status", config.toString())).isZero();
        assertThat(out.toString())
            .contains("rig-1 (site site-a)")
            .contains("pid " + agent.pid())
            .contains("workload     RUNNING");
      } finally {
        agent.destroy(); // SIGTERM, as systemd stops it
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      }
      String log = Files.readString(dir.resolve("agent.log"));
      assertThat(log).contains("agent for rig rig-1 stopped");
      assertThat(log)
          .as("OPC UA server off: none of Milo's server classes was loaded")
          .contains("org.eclipse.milo.opcua.sdk.client.")
          .doesNotContain("org.eclipse.milo.opcua.sdk.server.");
    }
  }

  private int status(StatusCommand command, String... args) {
    picocli.CommandLine cli = new picocli.CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
    cli.getOut().flush();
    cli.getErr().flush();
    return exit;
  }

  private static Path config(Path dir, SimulatedSite site, Path state) throws Exception {
    RigEndpoints e = site.endpoints("rig-1");
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        rig_id: rig-1
        site_id: site-a
        profile: %s
        controller: 127.0.0.1:9
        plaintext: true
        opcua_endpoint: %s
        telemetry_interval_ms: 250
        max_reconnect_backoff_ms: 1000
        sensors:
          miner_api: %s
          outlet_power: %s
          grid_frequency: %s
        """
                .formatted(
                    PROFILES.resolve("antminer-s19j-pro.yaml"),
                    site.opcUaEndpointUrl(),
                    e.cgminerAddress(),
                    e.outletPowerNode(),
                    e.gridFrequencyNode())
            + (state == null ? "" : "state_dir: " + state + "\n"));
    return config;
  }

  private static RigStatus status(Instant at, String commandId) {
    return TestStatuses.of(at, commandId, List.of());
  }
}
