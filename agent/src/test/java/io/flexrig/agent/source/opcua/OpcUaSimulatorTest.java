package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class OpcUaSimulatorTest {
  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
  private final SiteOpcUaServer server = new SiteOpcUaServer(List.of(rig), 0).start();
  private final Map<String, Reading> latest = new ConcurrentHashMap<>();
  private OpcUaSession session;

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
    server.close();
  }

  @Test
  void outletPowerAndGridFrequencyArriveByUriAddressedSubscriptionAndFollowChanges() {
    session = new OpcUaSession(server.endpointUrl(), Duration.ofMillis(200), Clock.systemUTC());
    OpcUaNodeSource outlet =
        new OpcUaNodeSource(
            "outlet_power",
            "W",
            OpcUaNodeAddress.parse("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW"),
            session);
    OpcUaNodeSource frequency =
        new OpcUaNodeSource(
            "grid_frequency",
            "Hz",
            OpcUaNodeAddress.parse(SimulatedSite.gridFrequencyNode()),
            session);
    outlet.start(r -> latest.put(r.name(), r));
    frequency.start(r -> latest.put(r.name(), r));

    await().atMost(10, TimeUnit.SECONDS).until(() -> latest.size() == 2);
    assertThat(latest.get("outlet_power").value()).isCloseTo(rig.powerW(), within(5.0));
    assertThat(latest.get("outlet_power").quality()).isEqualTo(Quality.GOOD);
    assertThat(latest.get("grid_frequency").value()).isCloseTo(60.0, within(0.1));

    server.setGridFrequencyHz(59.65);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> Math.abs(latest.get("grid_frequency").value() - 59.65) < 0.1);
  }

  @Test
  void anUnchangedValueIsReconfirmedSoItDoesNotGoStale() {
    session = new OpcUaSession(server.endpointUrl(), Duration.ofMillis(100), Clock.systemUTC());
    new OpcUaNodeSource(
            "outlet_power",
            "W",
            OpcUaNodeAddress.parse("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW"),
            session)
        .start(r -> latest.put(r.name(), r));
    await().atMost(10, TimeUnit.SECONDS).until(() -> latest.containsKey("outlet_power"));
    var first = latest.get("outlet_power").readAt();

    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> latest.get("outlet_power").readAt().isAfter(first.plusMillis(500)));
  }

  @Test
  void theOutletSwitchCutsAndRestoresTheRig() throws Exception {
    session = new OpcUaSession(server.endpointUrl(), Duration.ofMillis(200), Clock.systemUTC());
    OutletSwitch outlet =
        new OutletSwitch(
            session, OpcUaNodeAddress.parse("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.On"));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .ignoreExceptions()
        .until(
            () -> {
              outlet.set(false);
              return true;
            });
    assertThat(rig.isRelayClosed()).isFalse();

    outlet.set(true);
    assertThat(rig.isRelayClosed()).isTrue();
  }

  @Test
  void aServerThatIsDownAtStartIsConnectedOnceItComesUp() {
    server.close();
    SiteOpcUaServer later = null;
    try {
      String url = server.endpointUrl();
      session = new OpcUaSession(url, Duration.ofMillis(200), Clock.systemUTC());
      new OpcUaNodeSource(
              "grid_frequency",
              "Hz",
              OpcUaNodeAddress.parse(SimulatedSite.gridFrequencyNode()),
              session)
          .start(r -> latest.put(r.name(), r));
      later = new SiteOpcUaServer(List.of(rig), server.port()).start();

      await().atMost(15, TimeUnit.SECONDS).until(() -> latest.containsKey("grid_frequency"));
    } finally {
      if (session != null) {
        session.close();
        session = null;
      }
      if (later != null) {
        later.close();
      }
    }
  }

  @Test
  void valuesResumeAfterTheServerRestarts() {
    session = new OpcUaSession(server.endpointUrl(), Duration.ofMillis(200), Clock.systemUTC());
    new OpcUaNodeSource(
            "grid_frequency",
            "Hz",
            OpcUaNodeAddress.parse(SimulatedSite.gridFrequencyNode()),
            session)
        .start(r -> latest.put(r.name(), r));
    await().atMost(10, TimeUnit.SECONDS).until(() -> latest.containsKey("grid_frequency"));

    server.close();
    SiteOpcUaServer restarted = new SiteOpcUaServer(List.of(rig), server.port()).start();
    try {
      restarted.setGridFrequencyHz(59.5);

      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> Math.abs(latest.get("grid_frequency").value() - 59.5) < 0.1);
    } finally {
      session.close();
      session = null;
      restarted.close();
    }
  }
}
