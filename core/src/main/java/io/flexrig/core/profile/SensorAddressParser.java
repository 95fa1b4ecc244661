package io.flexrig.core.profile;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The grammar of {@link SensorAddress}, kept out of the public interface. */
final class SensorAddressParser {
  private static final Pattern CGMINER =
      Pattern.compile("//([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+]):(\\d{1,5})");
  private static final Pattern OPCUA =
      Pattern.compile("(?:ns=(\\d+)|nsu=([^;\\s]+));([sigb]=\\S.*)");
  private static final Pattern I2C =
      Pattern.compile("(\\d{1,2})/0x([0-9A-Fa-f]{2})/([a-z][a-z0-9_\\-]*)");

  private static final Pattern SPI = Pattern.compile("(\\d{1,2})/(\\d{1,2})/([a-z][a-z0-9_\\-]*)");
  private static final Pattern GPIO = Pattern.compile("(\\d{1,3})/([a-z][a-z0-9_]*)");

  private SensorAddressParser() {}

  static SensorAddress parse(String address) {
    int colon = address.indexOf(':');
    String scheme = colon < 0 ? "" : address.substring(0, colon);
    String rest = colon < 0 ? "" : address.substring(colon + 1);
    return switch (scheme) {
      case "cgminer" -> parseCgminer(rest);
      case "opcua" -> parseOpcUa(rest);
      case "i2c" -> parseI2c(rest);
      case "nvidia-smi" -> parseNvidiaSmi(rest);
      case "spi" -> parseSpi(rest);
      case "gpio" -> parseGpio(rest);
      default ->
          throw new IllegalArgumentException(
              "unknown address scheme '"
                  + scheme
                  + "' in '"
                  + address
                  + "'; known schemes: "
                  + String.join(", ", SensorAddress.SCHEMES));
    };
  }

  private static SensorAddress.Cgminer parseCgminer(String rest) {
    Matcher m = CGMINER.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed cgminer address; expected cgminer://host:port, e.g. cgminer://127.0.0.1:4028");
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cgminer port " + port + " is outside 1..65535");
    }
    return new SensorAddress.Cgminer(m.group(1), port);
  }

  private static SensorAddress.OpcUa parseOpcUa(String rest) {
    Matcher m = OPCUA.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed OPC UA node id; expected opcua:ns=<index>;<s=|i=|g=|b=><id> or"
              + " opcua:nsu=<namespace uri>;<s=|i=|g=|b=><id>");
    }
    String identifier = m.group(3);
    if (identifier.startsWith("i=") && !identifier.substring(2).matches("\\d+")) {
      throw new IllegalArgumentException("numeric OPC UA identifier must be digits: " + identifier);
    }
    if (m.group(1) != null) {
      return new SensorAddress.OpcUa(OptionalInt.of(Integer.parseInt(m.group(1))), "", identifier);
    }
    return new SensorAddress.OpcUa(OptionalInt.empty(), m.group(2), identifier);
  }

  private static SensorAddress.I2c parseI2c(String rest) {
    Matcher m = I2C.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed I2C address; expected i2c:<bus>/<0xaddr>/<chip>, e.g. i2c:1/0x40/ina226");
    }
    int device = Integer.parseInt(m.group(2), 16);
    // 7-bit addresses outside 0x03..0x77 are reserved by the I2C specification.
    if (device < 0x03 || device > 0x77) {
      throw new IllegalArgumentException(
          "I2C device address 0x" + m.group(2) + " is outside the 7-bit range 0x03..0x77");
    }
    return new SensorAddress.I2c(Integer.parseInt(m.group(1)), device, m.group(3));
  }

  private static SensorAddress.NvidiaSmi parseNvidiaSmi(String rest) {
    if (rest.equals("all")) {
      return new SensorAddress.NvidiaSmi(OptionalInt.empty());
    }
    if (rest.matches("\\d{1,2}")) {
      return new SensorAddress.NvidiaSmi(OptionalInt.of(Integer.parseInt(rest)));
    }
    throw new IllegalArgumentException(
        "malformed nvidia-smi address; expected nvidia-smi:all or nvidia-smi:<gpu index>");
  }

  private static SensorAddress.Spi parseSpi(String rest) {
    Matcher m = SPI.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed SPI address; expected spi:<bus>/<chip select>/<chip>, e.g. spi:0/0/max31855");
    }
    return new SensorAddress.Spi(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
  }

  private static SensorAddress.Gpio parseGpio(String rest) {
    Matcher m = GPIO.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "malformed GPIO address; expected gpio:<BCM pin>/<function>, e.g. gpio:17/fan_tach");
    }
    if (!SensorAddress.Gpio.FUNCTIONS.contains(m.group(2))) {
      throw new IllegalArgumentException(
          "unknown GPIO function '"
              + m.group(2)
              + "'; known: "
              + String.join(", ", SensorAddress.Gpio.FUNCTIONS));
    }
    return new SensorAddress.Gpio(Integer.parseInt(m.group(1)), m.group(2));
  }
}
