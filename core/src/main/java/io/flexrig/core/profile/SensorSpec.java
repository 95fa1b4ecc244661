package io.flexrig.core.profile;

import java.util.Map;

/**
 * One source of readings on the rig.
 *
 * @param role what the source measures for Flexrig, e.g. {@code miner_api}, {@code input_power},
 *     {@code outlet_power}, {@code grid_frequency}
 * @param address the source's address, parsed once by the driver whose scheme it names: {@code
 *     cgminer://127.0.0.1:4028}, {@code opcua:nsu=urn:flexrig:sim;s=Site.Meter.ActivePowerW},
 *     {@code i2c:1/0x40/ina226}; a rig's agent configuration may override it per role
 * @param options driver options, e.g. {@code shunt_ohm} for a power monitor
 */
public record SensorSpec(String role, String address, Map<String, String> options) {

  public SensorSpec {
    options = Map.copyOf(options);
  }
}
