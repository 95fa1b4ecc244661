package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.scada.ScadaPoint;
import io.flexrig.agent.scada.ScadaSettings;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.status.RigStatus;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.SetPowerTarget;
import io.flexrig.sim.SimulatedSite;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The agent's SCADA server as a site's SCADA sees it: an agent against the simulated site serves
 * its rig over OPC UA, and an independent client (node-opcua) browses, reads and subscribes.
 */
@Tag("integration")
class ScadaOverOpcUaTest {
  private static final Path NODE_CLIENT = Path.of("src/test/node").toAbsolutePath();
  private final HardwareProfile profile = TestProfiles.s19jPro();
  private SimulatedSite site;
  private TestController controller;
  private RigAgent agent;
  private Process node;

  @BeforeEach
  void start() {
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec("rig-1", profile)));
    controller = new TestController().start();
    agent =
        new RigAgent(
            SimulatedRigs.agentConfigWithShunt(
                    site, "rig-1", "site-a", profile, controller.target())
                .scada(ScadaSettings.loopback(0))
                .build());
    agent.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    agent.close();
    controller.close();
    site.close();
  }

  @Test
  void foreignClientBrowsesReadsAndSeesACurtailmentArrive() throws Exception {
    ensureNodeModules();
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                agent.status().snapshot().powerW().quality() == Quality.GOOD
                    && agent.connected()
                    && agent.status().snapshot().hashrateThs().usable());
    assertThat(agent.scadaEndpointUrl()).startsWith("opc.tcp://127.0.0.1:").endsWith("/flexrig");

    node =
        new ProcessBuilder("node", "opcua-client.js", agent.scadaEndpointUrl(), "rig-1")
            .directory(NODE_CLIENT.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    Load json = new Load(LoadSettings.builder().build());
                    for (String line; (line = r.readLine()) != null; ) {
                      if (!line.startsWith("{\"event\"")) {
                        System.out.println("opcua-client: " + line); // node-opcua's own chatter
                        continue;
                      }
                      @SuppressWarnings("unchecked")
                      Map<String, Object> event = (Map<String, Object>) json.loadFromString(line);
                      events.add(event);
                    }
                  } catch (java.io.IOException e) {
                    // the client is gone; the assertions below say what was missing
                  }
                });

    await().atMost(60, TimeUnit.SECONDS).until(() -> event(events, "browsed") != null);
    RigStatus status = agent.status();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> variables =
        (Map<String, Map<String, Object>>) event(events, "browsed").get("variables");

    assertThat(variables.keySet().stream().map(p -> p.substring(0, p.indexOf('/'))).distinct())
        .containsExactlyInAnyOrder(
            "Identity",
            "Power",
            "Temperatures",
            "Fans",
            "Hashrate",
            "Workload",
            "Curtailment",
            "Safety",
            "Link");
    assertThat(variables.get("Identity/RigId")).containsEntry("value", "rig-1");
    assertThat(variables.get("Identity/SiteId")).containsEntry("value", "site-a");
    assertThat(variables.get("Identity/Profile")).containsEntry("value", profile.id());
    assertThat(variables.get("Identity/Model")).containsEntry("value", profile.model());
    assertThat(variables.get("Link/Controller")).containsEntry("value", controller.target());
    assertThat(variables.get("Link/ControllerConnected")).containsEntry("value", true);
    assertThat(variables.get("Curtailment/Mode")).containsEntry("value", "RUNNING");
    assertThat(variables.get("Curtailment/Active")).containsEntry("value", false);
    assertThat(variables.get("Workload/State")).containsEntry("value", "RUNNING");
    assertThat(number(variables, "Safety/MaxPowerW")).isEqualTo(profile.limits().maxPowerW());
    assertThat(number(variables, "Safety/ChipCriticalC"))
        .isEqualTo(profile.limits().chipTempC().criticalC());

    double snapshotW = status.snapshot().powerW().value();
    assertThat(variables.get("Power/InputPowerW")).containsEntry("status", "Good");
    assertThat(number(variables, "Power/InputPowerW"))
        .as("the OPC UA value is the snapshot's (the rig's power moves a little between samples)")
        .isCloseTo(snapshotW, within(0.03 * snapshotW + 30));
    assertThat(number(variables, "Hashrate/HashrateThs"))
        .isCloseTo(
            status.snapshot().hashrateThs().value(),
            within(0.05 * status.snapshot().hashrateThs().value() + 1));
    assertThat(number(variables, "Temperatures/ChipMaxC"))
        .isCloseTo(status.snapshot().chipTempMaxC().value(), within(3.0));

    for (Map<String, Object> v : variables.values()) {
      assertThat(v).as("read-only: CurrentRead only").containsEntry("accessLevel", 1);
      assertThat(v).containsEntry("userAccessLevel", 1);
    }
    assertThat(variables.get("Power/InputPowerW"))
        .containsEntry("dataType", "ns=0;i=11")
        .containsEntry(
            "units",
            Map.of(
                "namespaceUri",
                "http://www.opcfoundation.org/UA/units/un/cefact",
                "unitId",
                ScadaPoint.Unit.WATT.unitId(),
                "symbol",
                "W"));
    assertThat(variables.get("Temperatures/ChipMaxC").get("units"))
        .isEqualTo(
            Map.of(
                "namespaceUri",
                "http://www.opcfoundation.org/UA/units/un/cefact",
                "unitId",
                4408652,
                "symbol",
                "°C"));
    assertThat(variables.get("Curtailment/Mode")).doesNotContainKey("units");

    await().atMost(30, TimeUnit.SECONDS).until(() -> event(events, "subscribed") != null);
    Instant now = Instant.now();
    controller.send(
        Command.newBuilder()
            .setCommandId("cmd-scada")
            .setEventId("event-1")
            .setDeadline(FleetMessages.timestamp(now.plusSeconds(20)))
            .setExpiresAt(FleetMessages.timestamp(now.plusSeconds(600)))
            .setSetPowerTarget(SetPowerTarget.newBuilder().setPowerW(2500))
            .build());

    await()
        .atMost(15, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              assertThat(changed(events, "Curtailment/Mode")).contains("CURTAILED");
              assertThat(changed(events, "Curtailment/CommandId")).contains("cmd-scada");
              assertThat(changed(events, "Curtailment/SetpointW")).contains(2500.0);
              assertThat(changed(events, "Curtailment/Active")).contains(true);
              assertThat(changed(events, "Power/PowerTargetW")).contains(2500.0);
            });
    assertThat(changed(events, "Curtailment/Deadline"))
        .as("the command's deadline, to the millisecond a JavaScript Date keeps")
        .contains(now.plusSeconds(20).truncatedTo(ChronoUnit.MILLIS).toString());

    try (Writer stdin = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
      stdin.write("quit\n");
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("the client closed its session").isTrue();
    assertThat(node.exitValue()).isZero();
    reader.join(5000);
  }

  private static Map<String, Object> event(List<Map<String, Object>> events, String name) {
    return events.stream().filter(e -> name.equals(e.get("event"))).findFirst().orElse(null);
  }

  private static List<Object> changed(List<Map<String, Object>> events, String path) {
    return events.stream()
        .filter(e -> "change".equals(e.get("event")) && path.equals(e.get("path")))
        .map(e -> e.get("value") instanceof Number n ? (Object) n.doubleValue() : e.get("value"))
        .toList();
  }

  private static double number(Map<String, Map<String, Object>> variables, String path) {
    return ((Number) variables.get(path).get("value")).doubleValue();
  }

  /** Installs the clients' locked dependencies once per checkout (CI does it up front). */
  static synchronized void ensureNodeModules() throws Exception {
    if (Files.isDirectory(NODE_CLIENT.resolve("node_modules/node-opcua"))) {
      return;
    }
    Process p =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(NODE_CLIENT.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
    assertThat(p.exitValue()).as("npm ci failed: %s", out).isZero();
  }
}
