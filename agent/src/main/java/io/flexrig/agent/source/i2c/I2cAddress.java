package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.SourceAddress;
import java.util.Locale;

/**
 * A chip on an I2C bus: {@code i2c:<bus>/<7-bit device address>/<chip>}, e.g. {@code
 * i2c:1/0x40/ina226}. The device address may be hex ({@code 0x40}) or decimal ({@code 64}).
 */
public record I2cAddress(int bus, int device, String chip) {

  public I2cAddress {
    if (bus < 0) {
      throw new IllegalArgumentException("I2C bus must not be negative: " + bus);
    }
    if (device < 0x03 || device > 0x77) {
      throw new IllegalArgumentException(
          "I2C device address must be a 7-bit address 0x03-0x77: 0x" + Integer.toHexString(device));
    }
  }

  public static I2cAddress parse(String address) {
    SourceAddress a = SourceAddress.parse(address);
    if (!a.scheme().equals("i2c")) {
      throw new InvalidAddressException(address, "scheme must be 'i2c'");
    }
    String[] parts = a.rest().split("/", -1);
    if (parts.length != 3) {
      throw new InvalidAddressException(
          address, "expected i2c:<bus>/<device>/<chip>, e.g. i2c:1/0x40/ina226");
    }
    int bus;
    try {
      bus = Integer.parseInt(parts[0].strip());
    } catch (NumberFormatException e) {
      throw new InvalidAddressException(address, "bus '" + parts[0] + "' is not a number");
    }
    int device;
    String d = parts[1].strip().toLowerCase(Locale.ROOT);
    try {
      device = d.startsWith("0x") ? Integer.parseInt(d.substring(2), 16) : Integer.parseInt(d);
    } catch (NumberFormatException e) {
      throw new InvalidAddressException(address, "device '" + parts[1] + "' is not a number");
    }
    String chip = parts[2].strip().toLowerCase(Locale.ROOT);
    if (chip.isEmpty()) {
      throw new InvalidAddressException(address, "no chip name");
    }
    try {
      return new I2cAddress(bus, device, chip);
    } catch (IllegalArgumentException e) {
      throw new InvalidAddressException(address, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "i2c:" + bus + "/0x" + Integer.toHexString(device) + "/" + chip;
  }
}
