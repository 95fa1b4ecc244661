/**
 * Simulated rigs and sites that speak the real protocols (cgminer TCP API, OPC UA, I2C through
 * Pi4J), so production drivers run against them unchanged. {@link io.flexrig.sim.SimulatedRig} is
 * the physics driven by a hardware profile; {@link io.flexrig.sim.SimulatedSite} puts a set of rigs
 * behind their servers in one process.
 */
package io.flexrig.sim;
