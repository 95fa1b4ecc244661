package io.flexrig.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import io.flexrig.sim.i2c.Ina226RegisterMap;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedSiteTest {

  private SimulatedSite site;

  @BeforeAll
  void start() {
    site =
        SimulatedSite.start(
            List.of(
                new SimulatedSite.RigSpec("s19-a", TestProfiles.s19jPro()),
                new SimulatedSite.RigSpec("s19-b", TestProfiles.s19jPro())));
  }

  @AfterAll
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  @Test
  void endpointsNameEveryRigsSourcesAsAddressStrings() {
    List<SimulatedSite.RigEndpoints> endpoints = site.endpoints();
    assertThat(endpoints)
        .extracting(SimulatedSite.RigEndpoints::rigId)
        .containsExactly("s19-a", "s19-b");
    SimulatedSite.RigEndpoints b = endpoints.get(1);
    assertThat(b.cgminerAddress()).matches("cgminer://127\\.0\\.0\\.1:\\d+");
    assertThat(b.outletPowerNode())
        .isEqualTo("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet02.ActivePowerW");
    assertThat(b.outletSwitchNode()).isEqualTo("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet02.On");
    assertThat(b.gridFrequencyNode())
        .isEqualTo("opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz");
    assertThat(b.i2cAddress()).isEqualTo("i2c:2/0x40/ina226");
    assertThat(site.opcUaEndpointUrl()).startsWith("opc.tcp://127.0.0.1:");
  }

  @Test
  void tickerMovesRigsInRealTime() {
    SimulatedRig rig = site.rig("s19-a");
    double before = rig.elapsedS();
    rig.setPowerTargetW(2768);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(rig.powerW()).isLessThan(3068));
    assertThat(rig.elapsedS()).isGreaterThan(before);
  }

  @Test
  void cgminerAddressAnswersForItsRig() throws IOException {
    URI uri = URI.create(site.endpoints().get(1).cgminerAddress());
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("{\"command\":\"pools\"}".getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(reply);
      assertThat(reply.toString(StandardCharsets.UTF_8)).contains("\"User\":\"flexrig.s19-b\"");
    }
  }

  @Test
  void siteMeterIsReadableOverOpcUa() throws Exception {
    OpcUaClient client = OpcUaClient.create(site.opcUaEndpointUrl());
    client.connect();
    try {
      int ns = client.getNamespaceTable().getIndex("urn:flexrig:sim").intValue();
      double meter =
          (Double)
              client
                  .readValue(
                      0, TimestampsToReturn.Neither, new NodeId(ns, "Site.Meter.ActivePowerW"))
                  .value()
                  .value();
      assertThat(meter).isCloseTo(site.siteMeterPowerW(), within(400.0));
      assertThat(meter).isGreaterThan(2 * 2000.0);
    } finally {
      client.disconnect();
    }
  }

  @Test
  void eachRigHasAnIna226OnItsOwnBus() {
    Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(site.i2cBus())).build();
    try {
      I2C ina =
          pi4j.create(
              I2C.newConfigBuilder(pi4j)
                  .id("dc-b")
                  .bus(2)
                  .device(SimulatedSite.INA226_ADDRESS)
                  .provider(SimulatedI2CProvider.ID)
                  .build());
      ina.writeRegisterWord(
          Ina226RegisterMap.CALIBRATION, Ina226RegisterMap.calibrationFor(0.01, 0.0002));
      double watts = ina.readRegisterWord(Ina226RegisterMap.POWER) * 0.25;
      assertThat(watts).isCloseTo(site.rig("s19-b").dcPowerW(), within(5.0));
    } finally {
      pi4j.shutdown();
    }
  }

  @Test
  void timeScaleRunsThePhysicsFasterThanRealTime() {
    try (SimulatedSite fast =
        SimulatedSite.start(
            List.of(new SimulatedSite.RigSpec("fast", TestProfiles.s19jPro())),
            new SimulatedSite.Settings(false, 50))) {
      SimulatedRig rig = fast.rig("fast");
      rig.setPowerTargetW(1500);
      // About 10.5 simulated seconds of ramp: a fraction of a second at 50x.
      await().atMost(Duration.ofSeconds(5)).until(() -> rig.powerW() == 1500);
    }
  }

  @Test
  void unknownRigIsAnError() {
    assertThatThrownBy(() -> site.rig("nope")).isInstanceOf(NoSuchElementException.class);
  }
}
