package io.flexrig.sim.i2c;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProviderBase;

/**
 * A Pi4J I2C provider whose buses are a {@link SimulatedI2CBus}: production code that talks to
 * chips through Pi4J's {@link I2C} API talks to the simulated chips unchanged. Select it by id:
 *
 * <pre>{@code
 * Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
 * I2C ina226 = pi4j.create(I2C.newConfigBuilder(pi4j).id("ina226-1").bus(1).device(0x40)
 *     .provider(SimulatedI2CProvider.ID).build());
 * }</pre>
 */
public final class SimulatedI2CProvider extends I2CProviderBase {

  /** The provider id to select in an I2C config. */
  public static final String ID = "flexrig-sim-i2c";

  private final SimulatedI2CBus buses;

  public SimulatedI2CProvider(SimulatedI2CBus buses) {
    super(ID, "Flexrig simulated I2C");
    this.buses = buses;
  }

  /** Only chosen when asked for by id, never in preference to real hardware. */
  @Override
  public int getPriority() {
    return -100;
  }

  @Override
  public I2C create(I2CConfig config) {
    SimulatedI2C i2c = new SimulatedI2C(this, config, buses);
    context().registry().add(i2c);
    return i2c;
  }
}
