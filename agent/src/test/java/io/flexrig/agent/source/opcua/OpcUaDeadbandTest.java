package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.Reading;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.flexrig.sim.opcua.SiteOpcUaServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class OpcUaDeadbandTest {
  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
  private final SiteOpcUaServer server = new SiteOpcUaServer(List.of(rig), 0).start();
  private OpcUaSession session;

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
    server.close();
  }

  @Test
  void meterNoiseWithinTheDeadbandIsNotPublishedButAnExcursionIs() throws Exception {
    Set<Double> noisy = watchFastFrequencyFor(0);
    Set<Double> quiet = watchFastFrequencyFor(OpcUaSession.FREQUENCY_DEADBAND_HZ);

    assertThat(noisy).as("the simulated meter's noise, every change").hasSizeGreaterThan(5);
    assertThat(quiet).as("the same noise through the deadband").hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aFrequencyExcursionArrivesThroughTheDeadband() {
    session = new OpcUaSession(server.endpointUrl(), Duration.ofSeconds(1), Clock.systemUTC());
    AtomicReference<Reading> latest = new AtomicReference<>();
    frequencySource(OpcUaSession.FREQUENCY_DEADBAND_HZ).start(latest::set);
    await().atMost(10, TimeUnit.SECONDS).until(() -> latest.get() != null);

    server.setGridFrequencyHz(59.65);
    await().atMost(5, TimeUnit.SECONDS).until(() -> Math.abs(latest.get().value() - 59.65) < 0.01);
  }

  @Test
  void aGridFrequencySensorGetsTheDeadbandUnlessItsOptionSaysOtherwise() {
    String node = SimulatedSite.gridFrequencyNode();
    assertThat(OpcUaDriver.deadbandOf(new SensorSpec("grid_frequency", node, Map.of())))
        .isEqualTo(OpcUaSession.FREQUENCY_DEADBAND_HZ);
    assertThat(OpcUaDriver.deadbandOf(new SensorSpec("outlet_power", node, Map.of()))).isZero();
    assertThat(
            OpcUaDriver.deadbandOf(new SensorSpec("grid_frequency", node, Map.of("deadband", "0"))))
        .isZero();
    assertThat(
            OpcUaDriver.deadbandOf(new SensorSpec("outlet_power", node, Map.of("deadband", "5"))))
        .isEqualTo(5.0);
  }

  /** Distinct values a fast frequency watch reports in 2 s after its first reading. */
  private Set<Double> watchFastFrequencyFor(double deadband) throws InterruptedException {
    if (session != null) {
      session.close();
    }
    session = new OpcUaSession(server.endpointUrl(), Duration.ofSeconds(1), Clock.systemUTC());
    Set<Double> values = ConcurrentHashMap.newKeySet();
    frequencySource(deadband).start(r -> values.add(r.value()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> !values.isEmpty());
    Thread.sleep(2000);
    return Set.copyOf(values);
  }

  private OpcUaNodeSource frequencySource(double deadband) {
    return new OpcUaNodeSource(
        "grid_frequency",
        "Hz",
        OpcUaNodeAddress.parse(SimulatedSite.gridFrequencyNode()),
        session,
        true,
        deadband);
  }
}
