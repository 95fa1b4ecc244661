package io.flexrig.demo;

import com.pi4j.Pi4J;
import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.SimulatedSite.RigSpec;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole site on one machine: the rig simulator (cgminer TCP API, OPC UA meter and PDU, INA226
 * register maps behind Pi4J), one fleet controller, and one production agent per simulated rig, all
 * talking over real loopback sockets. The demo and the end-to-end tests run the same thing.
 */
public final class LocalFleet implements AutoCloseable {

  /** How to build the site. */
  public record Options(
      String siteId, Duration telemetryInterval, double simulatorTimeScale, Path databaseFile) {}

  private final SimulatedSite site;
  private final FleetController controller;
  private final List<RigAgent> agents;
  private final ManagedChannel gridChannel;

  private LocalFleet(
      SimulatedSite site,
      FleetController controller,
      List<RigAgent> agents,
      ManagedChannel gridChannel) {
    this.site = site;
    this.controller = controller;
    this.agents = agents;
    this.gridChannel = gridChannel;
  }

  /** Starts the simulator, the controller and one agent per rig (rig id to its model). */
  public static LocalFleet start(Map<String, HardwareProfile> rigs, Options options) {
    List<RigSpec> specs = new ArrayList<>();
    rigs.forEach((id, profile) -> specs.add(new RigSpec(id, profile)));
    SimulatedSite site =
        SimulatedSite.start(specs, new SimulatedSite.Settings(false, options.simulatorTimeScale()));
    FleetController controller = null;
    List<RigAgent> agents = new ArrayList<>();
    try {
      controller =
          new FleetController(
                  new ControllerConfig(
                      0,
                      options.databaseFile(),
                      true,
                      options.telemetryInterval(),
                      Clock.systemUTC()))
              .start();
      String target = "127.0.0.1:" + controller.port();
      for (RigEndpoints endpoints : site.endpoints()) {
        HardwareProfile profile = rigs.get(endpoints.rigId());
        AgentConfig config =
            AgentConfig.builder(endpoints.rigId(), options.siteId(), profile, target)
                .plaintext(true)
                .opcUaEndpointUrl(site.opcUaEndpointUrl())
                .sensorAddressOverrides(overridesFor(endpoints))
                .telemetryInterval(options.telemetryInterval())
                .i2cProviderId(SimulatedI2CProvider.ID)
                .pi4j(
                    () ->
                        Pi4J.newContextBuilder()
                            .add(new SimulatedI2CProvider(site.i2cBus()))
                            .build())
                .maxReconnectBackoff(Duration.ofSeconds(2))
                // Each agent journals its accepted commands, as on a board.
                .stateDir(
                    options
                        .databaseFile()
                        .toAbsolutePath()
                        .getParent()
                        .resolve("agents")
                        .resolve(endpoints.rigId()))
                .build();
        RigAgent agent = new RigAgent(config);
        agents.add(agent);
        agent.start();
      }
      ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
      return new LocalFleet(site, controller, agents, channel);
    } catch (RuntimeException e) {
      agents.forEach(RigAgent::close);
      if (controller != null) {
        controller.close();
      }
      site.close();
      throw e;
    }
  }

  /** This rig's own cgminer port, PDU outlet and I2C bus on the simulated site. */
  private static Map<String, String> overridesFor(RigEndpoints endpoints) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("miner_api", endpoints.cgminerAddress());
    overrides.put("outlet_power", endpoints.outletPowerNode());
    overrides.put("grid_frequency", endpoints.gridFrequencyNode());
    overrides.put("dc_power", endpoints.i2cAddress());
    return overrides;
  }

  /** A blocking GridService client on the controller, as a grid operator would use it. */
  public GridServiceGrpc.GridServiceBlockingStub grid() {
    return GridServiceGrpc.newBlockingStub(gridChannel);
  }

  /** The simulated site (its meter is the ground truth the controller never sees directly). */
  public SimulatedSite site() {
    return site;
  }

  public FleetController controller() {
    return controller;
  }

  public List<RigAgent> agents() {
    return List.copyOf(agents);
  }

  @Override
  public void close() {
    gridChannel.shutdownNow();
    try {
      gridChannel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    agents.parallelStream().forEach(RigAgent::close);
    controller.close();
    site.close();
  }
}
