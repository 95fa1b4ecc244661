package io.flexrig.core.profile;

import java.util.List;
import java.util.OptionalInt;

/**
 * A sensor address of a hardware profile, parsed once at load so a typo fails the profile instead
 * of a driver at run time. The scheme picks the driver: {@code cgminer://host:port}, {@code
 * opcua:<node id>}, {@code i2c:<bus>/<0xaddr>/<chip>}, {@code nvidia-smi:<gpu index or all>},
 * {@code spi:<bus>/<chip select>/<chip>}, {@code gpio:<BCM pin>/<function>}.
 */
public sealed interface SensorAddress {

  /** The schemes Flexrig has drivers for, as written before the first colon. */
  List<String> SCHEMES = List.of("cgminer", "opcua", "i2c", "nvidia-smi", "spi", "gpio");

  /** The scheme of this address, one of {@link #SCHEMES}. */
  String scheme();

  /** A cgminer-family miner API (cgminer, bmminer, btminer, Braiins) over TCP. */
  record Cgminer(String host, int port) implements SensorAddress {
    @Override
    public String scheme() {
      return "cgminer";
    }
  }

  /**
   * An OPC UA variable. Exactly one of {@code namespaceIndex} (from {@code ns=}) and {@code
   * namespaceUri} (from {@code nsu=}, preferred: indexes change between server restarts) is set.
   *
   * @param identifier the identifier with its type prefix, e.g. {@code s=PDU.Outlet01.ActivePowerW}
   */
  record OpcUa(OptionalInt namespaceIndex, String namespaceUri, String identifier)
      implements SensorAddress {
    @Override
    public String scheme() {
      return "opcua";
    }
  }

  /** A power or temperature monitor on an I2C bus, e.g. an INA226 at 0x40 on bus 1. */
  record I2c(int bus, int deviceAddress, String chip) implements SensorAddress {
    @Override
    public String scheme() {
      return "i2c";
    }
  }

  /** GPU telemetry read through nvidia-smi; an empty index means every GPU of the host. */
  record NvidiaSmi(OptionalInt gpuIndex) implements SensorAddress {
    @Override
    public String scheme() {
      return "nvidia-smi";
    }

    public boolean allGpus() {
      return gpuIndex.isEmpty();
    }
  }

  /** A chip on an SPI bus, e.g. a MAX31855 thermocouple converter on bus 0, chip select 1. */
  record Spi(int bus, int chipSelect, String chip) implements SensorAddress {
    @Override
    public String scheme() {
      return "spi";
    }
  }

  /**
   * A GPIO pin (BCM numbering) and what it does: {@code fan_tach} (tachometer input), {@code
   * fan_pwm} (PWM fan output), {@code psu_enable} (relay to the PSU's enable line).
   */
  record Gpio(int pin, String function) implements SensorAddress {
    /** The pin functions Flexrig has drivers for. */
    public static final List<String> FUNCTIONS = List.of("fan_tach", "fan_pwm", "psu_enable");

    @Override
    public String scheme() {
      return "gpio";
    }
  }

  /**
   * Parses an address.
   *
   * @throws IllegalArgumentException naming what is wrong and the expected form
   */
  static SensorAddress parse(String address) {
    return SensorAddressParser.parse(address);
  }
}
