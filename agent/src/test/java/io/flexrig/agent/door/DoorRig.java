package io.flexrig.agent.door;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A simulated site, a test controller and a rig agent serving AgentService, all over sockets. */
final class DoorRig implements AutoCloseable {
  static final String RIG = "rig-1";

  final HardwareProfile profile = TestProfiles.s19jPro();
  final SimulatedSite site;
  final TestController controller;
  final RigAgent agent;
  private Context pi4j;

  DoorRig(AgentApiSettings api) {
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec(RIG, profile)));
    controller = new TestController().start();
    RigEndpoints e = site.endpoints(RIG);
    agent =
        new RigAgent(
            AgentConfig.builder(RIG, "site-a", profile, controller.target())
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
                    () -> {
                      pi4j =
                          Pi4J.newContextBuilder()
                              .add(new SimulatedI2CProvider(site.i2cBus()))
                              .build();
                      return pi4j;
                    })
                .maxReconnectBackoff(Duration.ofMillis(300))
                .agentApi(api)
                .build());
    agent.start();
  }

  String target() {
    return "127.0.0.1:" + agent.agentApiPort();
  }

  @Override
  public void close() throws Exception {
    agent.close();
    controller.close();
    site.close();
  }
}
