/**
 * I2C chips as register maps (TI INA226) on simulated buses, served to Pi4J through an I2C provider
 * so production Pi4J code reads them unchanged.
 */
package io.flexrig.sim.i2c;
