package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensorAddressTest {

  @Test
  void cgminerAddressGivesHostAndPort() {
    assertThat(SensorAddress.parse("cgminer://127.0.0.1:4028"))
        .isEqualTo(new SensorAddress.Cgminer("127.0.0.1", 4028));
  }

  @Test
  void opcUaNodeIdKeepsNamespaceUriOrIndex() {
    assertThat(SensorAddress.parse("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW"))
        .isEqualTo(
            new SensorAddress.OpcUa(
                OptionalInt.empty(), "urn:flexrig:sim", "s=PDU.Outlet01.ActivePowerW"));
    assertThat(SensorAddress.parse("opcua:ns=2;i=1001"))
        .isEqualTo(new SensorAddress.OpcUa(OptionalInt.of(2), "", "i=1001"));
  }

  @Test
  void i2cAddressIsBusDeviceAndChip() {
    assertThat(SensorAddress.parse("i2c:1/0x40/ina226"))
        .isEqualTo(new SensorAddress.I2c(1, 0x40, "ina226"));
  }

  @Test
  void nvidiaSmiAddressesOneGpuOrAll() {
    assertThat(SensorAddress.parse("nvidia-smi:all"))
        .isInstanceOfSatisfying(
            SensorAddress.NvidiaSmi.class, a -> assertThat(a.allGpus()).isTrue());
    assertThat(SensorAddress.parse("nvidia-smi:3"))
        .isEqualTo(new SensorAddress.NvidiaSmi(OptionalInt.of(3)));
  }

  @Test
  void spiAddressIsBusChipSelectAndChip() {
    assertThat(SensorAddress.parse("spi:0/1/max31855"))
        .isEqualTo(new SensorAddress.Spi(0, 1, "max31855"));
  }

  @Test
  void gpioAddressIsPinAndFunction() {
    assertThat(SensorAddress.parse("gpio:17/fan_tach"))
        .isEqualTo(new SensorAddress.Gpio(17, "fan_tach"));
    assertThat(SensorAddress.parse("gpio:27/psu_enable"))
        .isEqualTo(new SensorAddress.Gpio(27, "psu_enable"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "cgminer:127.0.0.1:4028        | expected cgminer://host:port",
        "cgminer://127.0.0.1:70000     | outside 1..65535",
        "cgminer://127.0.0.1           | expected cgminer://host:port",
        "opcua:s=Meter.P               | expected opcua:ns=<index>",
        "opcua:ns=x;s=Meter.P          | expected opcua:ns=<index>",
        "opcua:ns=2;i=abc              | must be digits",
        "i2c:1/40/ina226               | expected i2c:<bus>/<0xaddr>/<chip>",
        "i2c:1/0x7f/ina226             | outside the 7-bit range",
        "i2c:1/0x40                    | expected i2c:<bus>/<0xaddr>/<chip>",
        "nvidia-smi:first              | expected nvidia-smi:all",
        "spi:0/max31855                | expected spi:<bus>/<chip select>/<chip>",
        "gpio:17                       | expected gpio:<BCM pin>/<function>",
        "gpio:17/buzzer                | unknown GPIO function 'buzzer'",
        "modbus://10.0.0.5:502         | known schemes: cgminer, opcua, i2c, nvidia-smi, spi, gpio",
        "127.0.0.1:4028                | unknown address scheme",
      })
  void malformedAddressIsRejectedWithTheExpectedForm(String address, String fragment) {
    assertThatThrownBy(() -> SensorAddress.parse(address))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(fragment);
  }
}
