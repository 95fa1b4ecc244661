package io.flexrig.bench.footprint;

import io.flexrig.agent.AgentMain;
import io.flexrig.sim.i2c.Ina226RegisterMap;
import io.flexrig.sim.i2c.SimulatedI2CBus;

/**
 * The production {@link AgentMain} on a simulated control board: before the agent starts, an INA226
 * register map is put on this process's simulated I2C bus (where a real board has the chip), so the
 * agent's INA226 source reads it through Pi4J and the {@code flexrig-sim-i2c} provider exactly as
 * on hardware. Everything else (cgminer API, OPC UA, controller) is reached over loopback sockets.
 *
 * <p>System properties: {@code flexrig.board.i2cBus} (default 1), {@code flexrig.board.dcPowerW}
 * (default 2884 W: an S19j Pro at nameplate behind a 94 % PSU).
 */
public final class BoardAgentMain {

  private BoardAgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    int bus = Integer.getInteger("flexrig.board.i2cBus", 1);
    double dcW = Double.parseDouble(System.getProperty("flexrig.board.dcPowerW", "2884"));
    long t0 = System.nanoTime();
    // A little ripple, as a real shunt reading has.
    SimulatedI2CBus.shared()
        .register(
            bus,
            0x40,
            new Ina226RegisterMap(
                () -> dcW * (1 + 0.005 * Math.sin((System.nanoTime() - t0) / 1e9)), 0.0002));
    AgentMain.main(args);
  }
}
