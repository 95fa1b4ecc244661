package io.flexrig.agent;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.SimulatedSite.RigEndpoints;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.time.Duration;
import java.util.Map;

/**
 * The agent tests' rig against a {@link SimulatedSite}: an {@link AgentConfig} whose sensors point
 * at the site's endpoints for one rig (miner API, PDU outlet, grid meter over OPC UA, and the DC
 * shunt on the site's simulated I2C bus), with telemetry every 250 ms and reconnects within 300 ms.
 * Tests add what they exercise (metrics, SCADA, the agent API) to the returned builder.
 */
public final class SimulatedRigs {
  private SimulatedRigs() {}

  /** A config reading the rig's miner API, outlet power and grid frequency; no I2C shunt. */
  public static AgentConfig.Builder agentConfig(
      SimulatedSite site,
      String rigId,
      String siteId,
      HardwareProfile profile,
      String controllerTarget) {
    RigEndpoints e = site.endpoints(rigId);
    return AgentConfig.builder(rigId, siteId, profile, controllerTarget)
        .opcUaEndpointUrl(site.opcUaEndpointUrl())
        .sensorAddressOverrides(
            Map.of(
                "miner_api", e.cgminerAddress(),
                "outlet_power", e.outletPowerNode(),
                "grid_frequency", e.gridFrequencyNode()))
        .telemetryInterval(Duration.ofMillis(250))
        .maxReconnectBackoff(Duration.ofMillis(300));
  }

  /**
   * {@link #agentConfig} plus the DC shunt ({@code dc_power}) on the site's simulated I2C bus, read
   * through a Pi4J context from {@link #pi4j} that the agent creates and closes.
   */
  public static AgentConfig.Builder agentConfigWithShunt(
      SimulatedSite site,
      String rigId,
      String siteId,
      HardwareProfile profile,
      String controllerTarget) {
    RigEndpoints e = site.endpoints(rigId);
    return agentConfig(site, rigId, siteId, profile, controllerTarget)
        .sensorAddressOverrides(
            Map.of(
                "miner_api", e.cgminerAddress(),
                "outlet_power", e.outletPowerNode(),
                "grid_frequency", e.gridFrequencyNode(),
                "dc_power", e.i2cAddress()))
        .i2cProviderId(SimulatedI2CProvider.ID)
        .pi4j(() -> pi4j(site));
  }

  /** A Pi4J context whose only I2C provider is the site's simulated bus. */
  public static Context pi4j(SimulatedSite site) {
    return Pi4J.newContextBuilder().add(new SimulatedI2CProvider(site.i2cBus())).build();
  }
}
