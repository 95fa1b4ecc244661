package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.InvalidAddressException;
import org.junit.jupiter.api.Test;

class CgminerAddressTest {

  @Test
  void acceptsUrlAndShortFormsWithDefaultPort() {
    assertThat(CgminerAddress.parse("cgminer://127.0.0.1:4028"))
        .isEqualTo(new CgminerAddress("127.0.0.1", 4028));
    assertThat(CgminerAddress.parse("cgminer:10.0.0.5:4029"))
        .isEqualTo(new CgminerAddress("10.0.0.5", 4029));
    assertThat(CgminerAddress.parse("cgminer://miner-7"))
        .isEqualTo(new CgminerAddress("miner-7", 4028));
    assertThat(CgminerAddress.parse("cgminer://[::1]:4030"))
        .isEqualTo(new CgminerAddress("::1", 4030));
  }

  @Test
  void badAddressesFailNamingTheAddressAndTheProblem() {
    assertThatThrownBy(() -> CgminerAddress.parse("cgminer://host:port"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("cgminer://host:port")
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> CgminerAddress.parse("cgminer://host:70000"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> CgminerAddress.parse("opcua:ns=1;s=x")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> CgminerAddress.parse("127.0.0.1:4028")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> CgminerAddress.parse("cgminer://:4028"))
        .hasMessageContaining("no host");
  }
}
