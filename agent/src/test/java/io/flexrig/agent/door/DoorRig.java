package io.flexrig.agent.door;

import io.flexrig.agent.RigAgent;
import io.flexrig.agent.SimulatedRigs;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.sim.SimulatedSite;
import java.util.List;

/** A simulated site, a test controller and a rig agent serving AgentService, all over sockets. */
final class DoorRig implements AutoCloseable {
  static final String RIG = "rig-1";

  final HardwareProfile profile = TestProfiles.s19jPro();
  final SimulatedSite site;
  final TestController controller;
  final RigAgent agent;

  DoorRig(AgentApiSettings api) {
    site = SimulatedSite.start(List.of(new SimulatedSite.RigSpec(RIG, profile)));
    controller = new TestController().start();
    agent =
        new RigAgent(
            SimulatedRigs.agentConfigWithShunt(site, RIG, "site-a", profile, controller.target())
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
