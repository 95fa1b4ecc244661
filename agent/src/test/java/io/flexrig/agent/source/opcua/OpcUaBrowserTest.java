package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.TestProfiles;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Browsing the simulator's Milo server the way a technician maps node ids to sensor roles. */
@Tag("integration")
class OpcUaBrowserTest {

  @Test
  void listsTheSitesVariablesAsProfileAddressesWithTheirValues() throws Exception {
    SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
    try (SiteOpcUaServer server = new SiteOpcUaServer(List.of(rig), 0).start()) {
      Map<String, OpcUaBrowser.Variable> found =
          new OpcUaBrowser(6, 1000)
              .browse(server.endpointUrl()).stream()
                  .collect(Collectors.toMap(OpcUaBrowser.Variable::address, v -> v));

      String outlet = "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW";
      assertThat(found).containsKey(outlet);
      assertThat(Double.parseDouble(found.get(outlet).value())).isPositive();
      assertThat(found).containsKey("opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz");
      // every address the browser prints is one the OPC UA driver accepts
      for (String address : found.keySet()) {
        assertThat(OpcUaNodeAddress.parse(address)).isNotNull();
      }
    }
  }

  @Test
  void anUnreachableServerIsATypedError() {
    assertThatThrownBy(() -> new OpcUaBrowser(3, 100).browse("opc.tcp://127.0.0.1:1/"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot connect");
  }
}
