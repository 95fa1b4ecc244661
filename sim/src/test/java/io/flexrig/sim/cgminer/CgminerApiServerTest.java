package io.flexrig.sim.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.TestProfiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class CgminerApiServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 1);
  private CgminerApiServer server;

  @BeforeEach
  void start() {
    server = new CgminerApiServer(rig, 0).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Sends a request the way most clients do: write, keep the socket open, read until EOF. */
  private byte[] exchange(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      in.transferTo(reply);
      return reply.toByteArray();
    }
  }

  private static JsonNode json(byte[] reply) throws IOException {
    assertThat(reply).isNotEmpty();
    assertThat(reply[reply.length - 1]).as("NUL terminator").isZero();
    return JSON.readTree(new String(reply, 0, reply.length - 1, StandardCharsets.UTF_8));
  }

  @Test
  void summaryOverASocketIsOneJsonDocumentEndedByNulThenClose() throws IOException {
    JsonNode reply = json(exchange("{\"command\":\"summary\",\"parameter\":\"\"}", false));
    assertThat(reply.get("STATUS").get(0).get("Msg").asText()).isEqualTo("Summary");
    assertThat(reply.get("SUMMARY").get(0).get("MHS av").asDouble()).isPositive();
    assertThat(reply.get("id").asInt()).isEqualTo(1);
  }

  @Test
  void statsOverASocketHasChainsAndFans() throws IOException {
    JsonNode stats = json(exchange("{\"command\":\"stats\"}", true)).get("STATS").get(1);
    assertThat(stats.get("temp_chip1").asText()).matches("\\d+-\\d+-\\d+-\\d+");
    assertThat(stats.get("fan1").asInt()).isPositive();
    assertThat(stats.get("chain_rate3").asText()).isNotEmpty();
  }

  @Test
  void powerTargetOverASocketChangesTheRig() throws IOException {
    JsonNode reply = json(exchange("{\"command\":\"powertarget\",\"parameter\":\"1500\"}", false));
    assertThat(reply.get("STATUS").get(0).get("STATUS").asText()).isEqualTo("S");
    assertThat(rig.powerTargetW()).isEqualTo(1500);

    JsonNode refused =
        json(exchange("{\"command\":\"powertarget\",\"parameter\":\"5000\"}", false));
    assertThat(refused.get("STATUS").get(0).get("STATUS").asText()).isEqualTo("E");
    assertThat(rig.powerTargetW()).isEqualTo(1500);
  }

  @Test
  void curtailSleepAndWakeupOverASocket() throws IOException {
    json(exchange("{\"command\":\"curtail\",\"parameter\":\"sleep\"}", false));
    assertThat(rig.isSleeping()).isTrue();
    json(exchange("{\"command\":\"curtail\",\"parameter\":\"wakeup\"}", false));
    assertThat(rig.isSleeping()).isFalse();
  }

  @Test
  void invalidCommandOverASocket() throws IOException {
    JsonNode status = json(exchange("{\"command\":\"nonsense\"}", false)).get("STATUS").get(0);
    assertThat(status.get("STATUS").asText()).isEqualTo("E");
    assertThat(status.get("Code").asInt()).isEqualTo(14);
  }

  @Test
  void plainTextRequestWithoutTerminatorStillGetsAnAnswer() throws IOException {
    byte[] reply = exchange("version", false);
    String text = new String(reply, 0, reply.length - 1, StandardCharsets.UTF_8);
    assertThat(reply[reply.length - 1]).isZero();
    assertThat(text).startsWith("STATUS=S,").contains("|VERSION,CGMiner=4.11.1,");
  }

  @Test
  void openRelayMeansTheMinerDoesNotAnswer() throws IOException {
    rig.setRelayClosed(false);
    assertThat(exchange("{\"command\":\"summary\"}", false)).isEmpty();
    rig.setRelayClosed(true);
    assertThat(exchange("{\"command\":\"summary\"}", false)).isNotEmpty();
  }

  @Test
  void servesManyClientsOneAfterAnother() throws IOException {
    for (int i = 0; i < 50; i++) {
      assertThat(json(exchange("{\"command\":\"power\"}", false)).get("POWER")).hasSize(1);
    }
  }
}
