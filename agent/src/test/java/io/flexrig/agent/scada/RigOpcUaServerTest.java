package io.flexrig.agent.scada;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.opcua.OpcUaBrowser;
import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.source.opcua.TestCertificates;
import io.flexrig.agent.status.TestStatuses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SCADA server with the agent's own OPC UA client (Milo) on the other end. */
@Tag("integration")
class RigOpcUaServerTest {
  private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");
  private static final String RIG = "Flexrig/rig-1/";

  @TempDir static Path pki;
  private static TestCertificates.Identity server;
  private static TestCertificates.Identity scada;
  private static TestCertificates.Identity stranger;

  @BeforeAll
  static void certificates() throws Exception {
    server = TestCertificates.create(pki, "agent-server", "urn:flexrig:agent:rig-1");
    scada = TestCertificates.create(pki, "scada", "urn:site:scada");
    stranger = TestCertificates.create(pki, "stranger", "urn:site:stranger");
    Files.createDirectories(pki.resolve("server-trusts"));
    Files.copy(scada.certFile(), pki.resolve("server-trusts/scada.crt"));
    Files.createDirectories(pki.resolve("clients-trust"));
    Files.copy(server.certFile(), pki.resolve("clients-trust/agent.crt"));
  }

  @Test
  void valuesPublishedFromSnapshotsAreWhatAClientReadsAndNewFansAppear() throws Exception {
    try (ScadaPublisher publisher =
        RigOpcUaServer.start(ScadaSettings.loopback(0), TestStatuses.of(AT, "", List.of()))) {
      Map<String, String> before = browse(publisher.endpointUrl(), OpcUaSecurity.NONE);
      assertThat(before)
          .containsEntry(RIG + "Identity/RigId", "rig-1")
          .containsEntry(RIG + "Power/InputPowerW", "3100.0")
          .containsEntry(RIG + "Curtailment/Mode", "RUNNING")
          .containsEntry(RIG + "Curtailment/Active", "false")
          .doesNotContainKey(RIG + "Fans/Fan1Rpm");
      assertThat(before.get(RIG + "Curtailment/SetpointW"))
          .as("no command held: no setpoint (Bad_NoData, so the browser shows no value)")
          .isEmpty();

      publisher.publish(
          TestStatuses.of(
              AT.plusSeconds(1),
              "cmd-1",
              List.of(new Reading("miner.fan1", 5400, "rpm", Quality.GOOD, AT))));

      Map<String, String> after = browse(publisher.endpointUrl(), OpcUaSecurity.NONE);
      assertThat(after)
          .containsEntry(RIG + "Curtailment/Mode", "CURTAILED")
          .containsEntry(RIG + "Curtailment/CommandId", "cmd-1")
          .containsEntry(RIG + "Curtailment/SetpointW", "2500.0")
          .containsEntry(RIG + "Curtailment/Clamped", "true")
          .containsEntry(RIG + "Fans/Fan1Rpm", "5400.0");
    }
  }

  @Test
  void basic256Sha256ServesOnlyTrustedClientsAndNeverInTheClear() throws Exception {
    ScadaSettings secure =
        new ScadaSettings(
            0,
            "127.0.0.1",
            null,
            OpcUaSecurity.basic256Sha256(
                server.certFile(), server.keyFile(), pki.resolve("server-trusts")),
            false);
    try (ScadaPublisher publisher =
        RigOpcUaServer.start(secure, TestStatuses.of(AT, "", List.of()))) {
      OpcUaSecurity trustedClient =
          OpcUaSecurity.basic256Sha256(
              scada.certFile(), scada.keyFile(), pki.resolve("clients-trust"));
      assertThat(browse(publisher.endpointUrl(), trustedClient))
          .containsEntry(RIG + "Identity/RigId", "rig-1");

      assertThatThrownBy(() -> browse(publisher.endpointUrl(), OpcUaSecurity.NONE))
          .as("no SecurityPolicy None endpoint")
          .isInstanceOf(IOException.class);
      OpcUaSecurity untrusted =
          OpcUaSecurity.basic256Sha256(
              stranger.certFile(), stranger.keyFile(), pki.resolve("clients-trust"));
      assertThatThrownBy(() -> browse(publisher.endpointUrl(), untrusted))
          .as("a client certificate outside the trust list")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void securityPolicyNoneIsRefusedOffLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> new ScadaSettings(4841, "0.0.0.0", null, OpcUaSecurity.NONE, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a loopback address")
        .hasMessageContaining("opcua_server_allow_none");
    assertThat(
            new ScadaSettings(4841, "0.0.0.0", "rig-7", OpcUaSecurity.NONE, true).advertisedHost())
        .isEqualTo("rig-7");
    assertThat(new ScadaSettings(4841, "::1", null, OpcUaSecurity.NONE, false).bindAddress())
        .isEqualTo("::1");
  }

  private static Map<String, String> browse(String url, OpcUaSecurity security) throws IOException {
    return new OpcUaBrowser(6, 500)
        .browse(url, security).stream()
            .collect(Collectors.toMap(OpcUaBrowser.Variable::path, OpcUaBrowser.Variable::value));
  }
}
