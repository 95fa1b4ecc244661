package io.flexrig.agent.source.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.core.profile.SensorSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpcUaDriverTest {
  private static final String NODE = "opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz";

  @Test
  void gridFrequencyIsReadThroughTheFastSubscription() {
    assertThat(OpcUaDriver.isFast(new SensorSpec("grid_frequency", NODE, Map.of()))).isTrue();
    assertThat(OpcUaDriver.isFast(new SensorSpec("outlet_power", NODE, Map.of()))).isFalse();
  }

  @Test
  void theFastOptionDecidesForAnyNode() {
    assertThat(OpcUaDriver.isFast(new SensorSpec("outlet_power", NODE, Map.of("fast", "true"))))
        .isTrue();
    assertThat(OpcUaDriver.isFast(new SensorSpec("grid_frequency", NODE, Map.of("fast", "false"))))
        .isFalse();
  }

  @Test
  void unitIsGuessedFromTheRoleUnlessGiven() {
    assertThat(OpcUaDriver.unitOf(new SensorSpec("grid_frequency", NODE, Map.of())))
        .isEqualTo("Hz");
    assertThat(OpcUaDriver.unitOf(new SensorSpec("outlet_power", NODE, Map.of()))).isEqualTo("W");
    assertThat(OpcUaDriver.unitOf(new SensorSpec("x", NODE, Map.of("unit", "A")))).isEqualTo("A");
  }
}
