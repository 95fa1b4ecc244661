package io.flexrig.agent.metrics;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.metricshttp.MetricsSettings;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A simulated site, a test controller and a rig agent serving /metrics, all over sockets. */
final class MetricsRig implements AutoCloseable {
  static final String RIG = "rig-m1";
  static final String SITE = "site-m";

  final HardwareProfile profile = TestProfiles.s19jPro();
  final SimulatedSite site;
  final TestController controller;
  final RigAgent agent;

  MetricsRig() {
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec(RIG, profile)));
    controller = new TestController().start();
    RigEndpoints e = site.endpoints(RIG);
    agent =
        new RigAgent(
            AgentConfig.builder(RIG, SITE, profile, controller.target())
                .opcUaEndpointUrl(site.opcUaEndpointUrl())
                .sensorAddressOverrides(
                    Map.of(
                        "miner_api", e.cgminerAddress(),
                        "outlet_power", e.outletPowerNode(),
                        "grid_frequency", e.gridFrequencyNode(),
                        "dc_power", e.i2cAddress()))
                .telemetryInterval(Duration.ofMillis(500))
                .i2cProviderId(SimulatedI2CProvider.ID)
                .pi4j(() -> newPi4j(site))
                .maxReconnectBackoff(Duration.ofMillis(300))
                .metrics(MetricsSettings.loopback(0))
                .build());
    agent.start();
  }

  private Context pi4j;

  private synchronized Context newPi4j(SimulatedSite site) {
    pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(site.i2cBus())).build();
    return pi4j;
  }

  String metricsUrl() {
    return "http://127.0.0.1:" + agent.metricsPort() + "/metrics";
  }

  @Override
  public void close() throws Exception {
    agent.close();
    controller.close();
    site.close();
  }
}
