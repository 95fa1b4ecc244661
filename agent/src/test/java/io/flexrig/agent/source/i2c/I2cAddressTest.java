package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.InvalidAddressException;
import org.junit.jupiter.api.Test;

class I2cAddressTest {

  @Test
  void parsesBusDeviceAndChip() {
    assertThat(I2cAddress.parse("i2c:1/0x40/ina226")).isEqualTo(new I2cAddress(1, 0x40, "ina226"));
    assertThat(I2cAddress.parse("i2c:7/65/INA226")).isEqualTo(new I2cAddress(7, 65, "ina226"));
  }

  @Test
  void badAddressesFailClearly() {
    assertThatThrownBy(() -> I2cAddress.parse("i2c:1/0x40"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("i2c:<bus>/<device>/<chip>");
    assertThatThrownBy(() -> I2cAddress.parse("i2c:one/0x40/ina226"))
        .hasMessageContaining("bus 'one'");
    assertThatThrownBy(() -> I2cAddress.parse("i2c:1/0x90/ina226")).hasMessageContaining("7-bit");
    assertThatThrownBy(() -> I2cAddress.parse("i2c:1/0xzz/ina226")).hasMessageContaining("device");
  }
}
