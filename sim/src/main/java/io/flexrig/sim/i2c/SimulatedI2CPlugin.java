package io.flexrig.sim.i2c;

import com.pi4j.extension.Plugin;
import com.pi4j.extension.PluginService;

/**
 * Registers a {@link SimulatedI2CProvider} over {@link SimulatedI2CBus#shared()} when Pi4J
 * auto-detects plugins. Its low priority means it is only used when selected by id, so it is
 * harmless beside real hardware providers.
 */
public final class SimulatedI2CPlugin implements Plugin {

  @Override
  public void initialize(PluginService service) {
    service.register(new SimulatedI2CProvider(SimulatedI2CBus.shared()));
  }
}
