package io.flexrig.agent.metrics;

import io.flexrig.agent.RigAgent;
import io.flexrig.agent.SimulatedRigs;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.metricshttp.MetricsSettings;
import io.flexrig.sim.SimulatedSite;
import java.time.Duration;
import java.util.List;

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
    agent =
        new RigAgent(
            SimulatedRigs.agentConfigWithShunt(site, RIG, SITE, profile, controller.target())
                .telemetryInterval(Duration.ofMillis(500))
                .metrics(MetricsSettings.loopback(0))
                .build());
    agent.start();
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
