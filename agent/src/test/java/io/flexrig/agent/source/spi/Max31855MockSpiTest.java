package io.flexrig.agent.source.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.core.profile.SensorSpec;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MAX31855 source through the SPI driver and Pi4J's mock SPI provider, which hands back the
 * bytes queued on it: each test queues the frame the chip would clock out.
 */
class Max31855MockSpiTest {
  private final Context pi4j = Pi4J.newContextBuilder().add(MockSpiProvider.newInstance()).build();
  private final SourceContext context =
      SourceContext.builder()
          .service(Pi4jSpi.class, () -> new Pi4jSpi(pi4j, MockSpiProvider.ID))
          .build();

  @AfterEach
  void shutdown() {
    context.close();
    pi4j.shutdown();
  }

  private PolledSource open() throws IOException {
    return (PolledSource)
        new SpiDriver().open(new SensorSpec("exhaust_tc", "spi:0/1/max31855", Map.of()), context);
  }

  private MockSpi mock() {
    return pi4j.registry().allByType(com.pi4j.io.spi.Spi.class).values().stream()
        .map(MockSpi.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private void queue(int frame) {
    mock()
        .write(
            new byte[] {
              (byte) (frame >> 24), (byte) (frame >> 16), (byte) (frame >> 8), (byte) frame
            },
            0,
            4);
  }

  private static Map<String, Reading> byName(PolledSource s) throws IOException {
    return s.sample().stream().collect(Collectors.toMap(Reading::name, r -> r));
  }

  @Test
  void aFrameGivesTheThermocoupleAndColdJunctionTemperatures() throws Exception {
    try (PolledSource s = open()) {
      queue(0x064C_1900); // datasheet Table 2 +100.75 °C, Table 4 +25 °C
      Map<String, Reading> r = byName(s);
      assertThat(r.get("exhaust_tc").value()).isEqualTo(100.75);
      assertThat(r.get("exhaust_tc").quality()).isEqualTo(Quality.GOOD);
      assertThat(r.get("exhaust_tc.internal").value()).isEqualTo(25.0);
      assertThat(r.get("exhaust_tc.fault").value()).isZero();
    }
  }

  @Test
  void anOpenThermocoupleIsBadWithItsReasonWhileTheChipTemperatureFlows() throws Exception {
    try (PolledSource s = open()) {
      queue(0x0001_1901); // D16 fault, D0 OC
      Map<String, Reading> r = byName(s);
      assertThat(r.get("exhaust_tc").quality()).isEqualTo(Quality.BAD);
      assertThat(((Max31855Source) s).faultReason()).isEqualTo("thermocouple open circuit (OC)");
      assertThat(r.get("exhaust_tc.internal").quality()).isEqualTo(Quality.GOOD);
      assertThat(r.get("exhaust_tc.fault").value()).isEqualTo(Max31855.OC);

      queue(0x064C_1900);
      assertThat(byName(s).get("exhaust_tc").quality()).isEqualTo(Quality.GOOD);
      assertThat(((Max31855Source) s).faultReason()).isEmpty();
    }
  }

  @Test
  void aChipThatClocksOutNothingFailsTheSample() throws Exception {
    try (PolledSource s = open()) {
      assertThatThrownBy(s::sample).isInstanceOf(IOException.class);
    }
  }
}
