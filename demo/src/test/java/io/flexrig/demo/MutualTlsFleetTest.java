package io.flexrig.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.uplink.ClientTls;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.ControllerTls;
import io.flexrig.controller.FleetController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production agent and the fleet controller over mutual TLS, with certificates issued by the
 * site's PKI script: the rig with its own certificate streams telemetry into the durable store, and
 * an agent presenting another rig's certificate never joins.
 */
@Tag("integration")
class MutualTlsFleetTest {

  @TempDir Path dir;

  private static void pki(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(Path.of("../scripts/flexrig-pki.sh").toAbsolutePath().normalize().toString());
    cmd.add(args[0]);
    cmd.add(dir.toString());
    cmd.addAll(List.of(args).subList(1, args.length));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private RigAgent agent(
      SimulatedSite site,
      String rigId,
      HardwareProfile profile,
      String target,
      Path pkiDir,
      String certificateOf) {
    RigEndpoints e = site.endpoints(rigId);
    return new RigAgent(
        AgentConfig.builder(rigId, "tls-site", profile, target)
            .tls(
                new ClientTls(
                    pkiDir.resolve("agent-" + certificateOf + ".crt"),
                    pkiDir.resolve("agent-" + certificateOf + ".key"),
                    pkiDir.resolve("ca.crt")))
            .durableOutbox(dir.resolve(rigId + "-outbox.db"), 1 << 20)
            .opcUaEndpointUrl(site.opcUaEndpointUrl())
            .sensorAddressOverrides(
                Map.of(
                    "miner_api", e.cgminerAddress(),
                    "outlet_power", e.outletPowerNode(),
                    "grid_frequency", e.gridFrequencyNode(),
                    "dc_power", e.i2cAddress()))
            .telemetryInterval(Duration.ofMillis(250))
            .i2cProviderId(SimulatedI2CProvider.ID)
            .pi4j(
                () -> Pi4J.newContextBuilder().add(new SimulatedI2CProvider(site.i2cBus())).build())
            .maxReconnectBackoff(Duration.ofMillis(500))
            .build());
  }

  @Test
  void theRigWithItsOwnCertificateJoinsAndAForgedRigIdNeverDoes() throws Exception {
    Path pkiDir = dir.resolve("pki");
    pki(pkiDir, "ca", "tls-site");
    pki(pkiDir, "controller");
    pki(pkiDir, "agent", "tls-r01");
    HardwareProfile profile = ProfileCatalog.builtIn().require("antminer-s19j-pro");
    try (SimulatedSite site =
            SimulatedSite.start(
                List.of(
                    new SimulatedSite.RigSpec("tls-r01", profile),
                    new SimulatedSite.RigSpec("tls-r02", profile)));
        FleetController controller =
            new FleetController(
                    ControllerConfig.loopback(0, dir.resolve("controller.db"))
                        .withTls(
                            new ControllerTls(
                                pkiDir.resolve("controller.crt"),
                                pkiDir.resolve("controller.key"),
                                pkiDir.resolve("ca.crt"),
                                null)))
                .start()) {
      String target = "127.0.0.1:" + controller.port();
      try (RigAgent genuine = agent(site, "tls-r01", profile, target, pkiDir, "tls-r01");
          RigAgent forged = agent(site, "tls-r02", profile, target, pkiDir, "tls-r01")) {
        forged.start();
        genuine.start();

        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    controller.fleet().rig("tls-r01").isPresent()
                        && controller.fleet().storedThrough("tls-r01") >= 3);
        // The forged agent has been trying all along (with backoff) and was refused each time.
        assertThat(forged.connected()).isFalse();
        assertThat(controller.fleet().rig("tls-r02")).isEmpty();
        assertThat(genuine.connected()).isTrue();
        assertThat(forged.outbox().size()).isPositive(); // kept for a controller that accepts it
      }
    }
  }
}
