/**
 * The cgminer-family miner API (cgminer 4.11 fields, Antminer stats, LuxOS-style power and curtail)
 * on TCP: one request per connection, a NUL-terminated reply, then close.
 */
package io.flexrig.sim.cgminer;
