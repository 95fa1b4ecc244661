package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.InvalidAddressException;
import org.junit.jupiter.api.Test;

class OpcUaNodeAddressTest {

  @Test
  void namespaceByUriOrIndexAndStringOrNumericIds() {
    assertThat(OpcUaNodeAddress.parse("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW"))
        .isEqualTo(new OpcUaNodeAddress("urn:flexrig:sim", -1, false, "PDU.Outlet01.ActivePowerW"));
    assertThat(OpcUaNodeAddress.parse("opcua:ns=2;s=Meter.P"))
        .isEqualTo(new OpcUaNodeAddress(null, 2, false, "Meter.P"));
    assertThat(OpcUaNodeAddress.parse("opcua:i=2258"))
        .isEqualTo(new OpcUaNodeAddress(null, 0, true, "2258"));
  }

  @Test
  void badAddressesFailClearly() {
    assertThatThrownBy(() -> OpcUaNodeAddress.parse("opcua:ns=x;s=a"))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> OpcUaNodeAddress.parse("opcua:nsu=urn:x")).hasMessageContaining("';'");
    assertThatThrownBy(() -> OpcUaNodeAddress.parse("opcua:ns=2;q=a"))
        .hasMessageContaining("'s=' or 'i='");
    assertThatThrownBy(() -> OpcUaNodeAddress.parse("opcua:ns=2;i=-1"))
        .hasMessageContaining("UInt32");
    assertThatThrownBy(() -> OpcUaNodeAddress.parse("opcua:ns=2;s=")).hasMessageContaining("empty");
  }
}
