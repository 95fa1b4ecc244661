package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.cgminer.CgminerApiServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("integration")
class CgminerSimulatorTest {
  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 7);

  private static CgminerClient client(int port) {
    return new CgminerClient(
        new CgminerAddress("127.0.0.1", port), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "antminer quirks: {0}")
  @ValueSource(booleans = {false, true})
  void sampleOfTheSimulatedMinerGivesHashrateTemperaturesFansAndPower(boolean quirks)
      throws Exception {
    rig.advance(5);
    try (CgminerApiServer server = new CgminerApiServer(rig, 0, quirks).start()) {
      CgminerSource source =
          new CgminerSource("miner_api", client(server.port()), Clock.systemUTC());
      Map<String, Reading> r =
          source.sample().stream().collect(Collectors.toMap(Reading::name, x -> x));

      assertThat(r.get("miner.hashrate_5s").value())
          .isCloseTo(rig.state().hashrate5sThs(), within(0.01));
      assertThat(r.get("miner.chip_temp_max").value()).isCloseTo(rig.chipTempC(), within(1.0));
      assertThat(r.get("miner.fan1").value()).isCloseTo(rig.fanRpm(), within(100.0));
      assertThat(r.get("miner.power").value()).isCloseTo(rig.powerW(), within(1.0));
      assertThat(r.values()).allMatch(x -> x.quality() == Quality.GOOD);
    }
  }

  @Test
  void minerControlSetsThePowerTargetSleepsAndWakes() throws Exception {
    try (CgminerApiServer server = new CgminerApiServer(rig, 0).start()) {
      MinerControl control = new MinerControl(client(server.port()));

      control.setPowerTarget(2500);
      assertThat(rig.powerTargetW()).isEqualTo(2500);
      control.sleep();
      assertThat(rig.isSleeping()).isTrue();
      control.wake();
      assertThat(rig.isSleeping()).isFalse();
    }
  }

  @Test
  void aTargetTheFirmwareRefusesFailsWithItsMessage() throws Exception {
    try (CgminerApiServer server = new CgminerApiServer(rig, 0).start()) {
      MinerControl control = new MinerControl(client(server.port()));

      assertThatThrownBy(() -> control.setPowerTarget(900))
          .isInstanceOfSatisfying(
              CgminerCommandException.class,
              e -> assertThat(e.minerMessage()).contains("outside the firmware range"));
      assertThat(rig.powerTargetW()).isEqualTo(3068);
    }
  }

  @Test
  void aMinerThatIsDownFailsTheSampleAsAWhole() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CgminerSource source = new CgminerSource("miner_api", client(port), Clock.systemUTC());

    assertThatThrownBy(source::sample).isInstanceOf(IOException.class);
  }

  @Test
  void aReplyEndedByCloseWithoutNulIsReadAndACutShortOneIsAnError() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    List<String> replies =
                        List.of(
                            "{\"STATUS\":[{\"STATUS\":\"S\"}],\"POWER\":[{\"Watts\":2990}]}",
                            "{\"STATUS\":[{\"STATUS\":\"S\"}],\"POWER\":[{\"Wat");
                    for (String reply : replies) {
                      try (Socket c = server.accept()) {
                        c.getInputStream().read(new byte[256]);
                        OutputStream out = c.getOutputStream();
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
      CgminerClient client = client(server.getLocalPort());

      assertThat(
              CgminerReplies.power(client.send("power"), java.time.Instant.EPOCH)
                  .getFirst()
                  .value())
          .isEqualTo(2990);
      String cut = client.send("power");
      assertThatThrownBy(() -> CgminerReplies.power(cut, java.time.Instant.EPOCH))
          .hasMessageContaining("cut short");
      t.join(2000);
    }
  }
}
