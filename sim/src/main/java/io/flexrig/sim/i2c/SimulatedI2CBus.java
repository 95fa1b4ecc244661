package io.flexrig.sim.i2c;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated I2C buses of a machine: which device answers at which (bus number, 7-bit address).
 * {@link SimulatedI2CProvider} serves Pi4J I2C instances from it.
 */
public final class SimulatedI2CBus {

  private static final SimulatedI2CBus SHARED = new SimulatedI2CBus();

  private record Key(int bus, int address) {}

  private final Map<Key, SimulatedI2CDevice> devices = new ConcurrentHashMap<>();

  /** The process-wide buses used by the provider the Pi4J plugin registers. */
  public static SimulatedI2CBus shared() {
    return SHARED;
  }

  /** Puts a device at (bus, address), replacing any device there. */
  public SimulatedI2CBus register(int bus, int address, SimulatedI2CDevice device) {
    checkAddress(address);
    devices.put(new Key(bus, address), device);
    return this;
  }

  /** Removes the device at (bus, address); later transactions to it fail like an absent chip. */
  public void unregister(int bus, int address) {
    devices.remove(new Key(bus, address));
  }

  public Optional<SimulatedI2CDevice> device(int bus, int address) {
    return Optional.ofNullable(devices.get(new Key(bus, address)));
  }

  private static void checkAddress(int address) {
    if (address < 0 || address > 0x7F) {
      throw new IllegalArgumentException("not a 7-bit I2C address: " + address);
    }
  }
}
