package io.flexrig.sim.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.TestProfiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteOpcUaServerTest {

  private final SimulatedRig rig1 = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 1);
  private final SimulatedRig rig2 = new SimulatedRig("rig-2", TestProfiles.s19jPro(), 2);
  private final SimulatedRig rig3 = new SimulatedRig("rig-3", TestProfiles.s19jPro(), 3);
  private SiteOpcUaServer server;
  private OpcUaClient client;
  private int ns;

  @BeforeAll
  void start() throws Exception {
    server = new SiteOpcUaServer(List.of(rig1, rig2, rig3), 0).start();
    client = OpcUaClient.create(server.endpointUrl());
    client.connect();
    ns = client.getNamespaceTable().getIndex(SiteOpcUaServer.NAMESPACE_URI).intValue();
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    if (server != null) {
      server.close();
    }
  }

  private NodeId node(String id) {
    return new NodeId(ns, id);
  }

  private Object read(String id) throws Exception {
    DataValue value = client.readValue(0, TimestampsToReturn.Both, node(id));
    assertThat(value.statusCode().isGood()).as(id).isTrue();
    return value.value().value();
  }

  @Test
  void endpointIsOnLoopbackWithTheSimPath() {
    assertThat(server.endpointUrl()).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+/flexrig-sim");
  }

  @Test
  void meterReadsAllRigsPlusTheBaseLoad() throws Exception {
    double meter = (Double) read("Site.Meter.ActivePowerW");
    double rigs = rig1.powerW() + rig2.powerW() + rig3.powerW();
    assertThat(meter).isCloseTo(rigs + 0.02 * 3 * 3068, within(1e-6));
    assertThat(meter).isCloseTo(server.siteMeterPowerW(), within(1e-6));
  }

  @Test
  void frequencyIsNominalWithTinyNoiseAndFollowsTheGrid() throws Exception {
    assertThat((Double) read("Site.Meter.FrequencyHz")).isCloseTo(60.0, within(0.01));
    server.setGridFrequencyHz(59.65);
    try {
      assertThat((Double) read("Site.Meter.FrequencyHz")).isCloseTo(59.65, within(0.01));
    } finally {
      server.setGridFrequencyHz(60.0);
    }
  }

  @Test
  void outletsReadEachRigsWallPower() throws Exception {
    assertThat((Double) read("PDU.Outlet01.ActivePowerW")).isEqualTo(rig1.powerW());
    assertThat((Double) read("PDU.Outlet03.ActivePowerW")).isEqualTo(rig3.powerW());
    assertThat((Boolean) read("PDU.Outlet02.On")).isTrue();
  }

  @Test
  void outletSubscriptionSeesThePowerFallAfterAPowerTarget() throws Exception {
    List<Double> seen = new CopyOnWriteArrayList<>();
    OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    try {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node("PDU.Outlet02.ActivePowerW"));
      item.setSamplingInterval(100.0);
      item.setDataValueListener((i, value) -> seen.add((Double) value.value().value()));
      subscription.addMonitoredItem(item);
      subscription.synchronizeMonitoredItems();

      await().atMost(Duration.ofSeconds(5)).until(() -> !seen.isEmpty());
      assertThat(seen.getFirst()).isEqualTo(3068.0);

      rig2.setPowerTargetW(1500);
      rig2.advance(2);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(seen).contains(3068.0 - 300));
    } finally {
      subscription.delete();
    }
  }

  @Test
  void writingOnFalseOpensTheRigsRelay() throws Exception {
    StatusCode status =
        client
            .writeValues(
                List.of(node("PDU.Outlet03.On")), List.of(DataValue.valueOnly(new Variant(false))))
            .getFirst();
    assertThat(status.isGood()).as(status.toString()).isTrue();
    assertThat(rig3.isRelayClosed()).isFalse();
    assertThat(rig3.powerW()).isZero();
    assertThat((Double) read("PDU.Outlet03.ActivePowerW")).isZero();
    assertThat((Boolean) read("PDU.Outlet03.On")).isFalse();

    client.writeValues(
        List.of(node("PDU.Outlet03.On")), List.of(DataValue.valueOnly(new Variant(true))));
    assertThat(rig3.isRelayClosed()).isTrue();
  }

  @Test
  void meterPowerIsReadOnly() throws Exception {
    StatusCode status =
        client
            .writeValues(
                List.of(node("Site.Meter.ActivePowerW")),
                List.of(DataValue.valueOnly(new Variant(1.0))))
            .getFirst();
    assertThat(status.isBad()).isTrue();
  }
}
