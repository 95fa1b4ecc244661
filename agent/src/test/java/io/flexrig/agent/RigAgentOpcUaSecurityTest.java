package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.source.opcua.TestCertificates;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent set to Basic256Sha256 facing a site server that only offers None. */
@Tag("integration")
class RigAgentOpcUaSecurityTest {
  private final HardwareProfile profile = TestProfiles.s19jPro();
  private SimulatedSite site;
  private TestController controller;
  private RigAgent agent;

  @AfterEach
  void stop() throws Exception {
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
  void aRefusedOpcUaServerRaisesSourceDownAndTheMinerKeepsReporting(@TempDir Path pki)
      throws Exception {
    TestCertificates.Identity me = TestCertificates.create(pki, "agent", "urn:flexrig:agent:rig-1");
    Path trusted = Files.createDirectories(pki.resolve("trusted"));
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec("rig-1", profile)));
    controller = new TestController().start();
    RigEndpoints e = site.endpoints("rig-1");
    agent =
        new RigAgent(
            AgentConfig.builder("rig-1", "site-a", profile, controller.target())
                .opcUaEndpointUrl(site.opcUaEndpointUrl())
                .opcUaSecurity(OpcUaSecurity.basic256Sha256(me.certFile(), me.keyFile(), trusted))
                .sensorAddressOverrides(
                    Map.of(
                        "miner_api", e.cgminerAddress(),
                        "outlet_power", e.outletPowerNode(),
                        "grid_frequency", e.gridFrequencyNode(),
                        "dc_power", "i2c:9/0x45/ina226"))
                .telemetryInterval(Duration.ofMillis(250))
                .maxReconnectBackoff(Duration.ofMillis(300))
                .build());
    agent.start();

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                controller.alarms.stream()
                    .map(Alarm::getMessage)
                    .anyMatch(
                        m -> m.startsWith("opcua: ") && m.contains("offers no Basic256Sha256")));
    assertThat(
            controller.alarms.stream()
                .filter(a -> a.getMessage().startsWith("opcua: "))
                .map(Alarm::getCode))
        .containsOnly("SOURCE_DOWN");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                agent.latestSnapshot().readings().stream()
                    .anyMatch(
                        r ->
                            r.name().equals("outlet_power")
                                && r.quality() == io.flexrig.agent.source.Quality.BAD));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                agent.latestSnapshot().readings().stream()
                    .anyMatch(
                        r ->
                            r.name().startsWith("miner.hashrate")
                                && r.quality() == io.flexrig.agent.source.Quality.GOOD));
  }
}
