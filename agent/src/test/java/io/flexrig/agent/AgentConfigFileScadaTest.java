package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code opcua_server_*} settings of agent.yaml: the SCADA server is off unless asked for. */
class AgentConfigFileScadaTest {
  private static final Path PROFILE =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .resolve("antminer-s19j-pro.yaml")
          .toAbsolutePath();

  @TempDir Path dir;

  private AgentConfig load(String extra) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file, "rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n" + extra);
    return AgentConfigFile.load(file);
  }

  @Test
  void theServerIsOffUnlessAPortIsSet() throws Exception {
    assertThat(load("").scada()).isNull();
  }

  @Test
  void aPortAloneServesSecurityNoneOnLoopback() throws Exception {
    var scada = load("opcua_server_port: 4841\n").scada();
    assertThat(scada.port()).isEqualTo(4841);
    assertThat(scada.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(scada.security().secure()).isFalse();
  }

  @Test
  void securityNoneOnAPlantAddressNeedsTheExplicitFlag() throws Exception {
    assertThatThrownBy(() -> load("opcua_server_port: 4841\nopcua_server_bind: 0.0.0.0\n"))
        .isInstanceOf(AgentConfigFile.InvalidConfigException.class)
        .hasMessageContaining("agent.yaml: opcua_server_bind 0.0.0.0 is not a loopback address");
    assertThat(
            load("opcua_server_port: 4841\nopcua_server_bind: 0.0.0.0\n"
                    + "opcua_server_allow_none: true\n")
                .scada()
                .bindAddress())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void serverSettingsWithoutAPortOrCertificatesWithoutSecurityAreErrors() {
    assertThatThrownBy(() -> load("opcua_server_bind: 127.0.0.1\n"))
        .hasMessageContaining("opcua_server_bind: only used with opcua_server_port");
    assertThatThrownBy(() -> load("opcua_server_port: 4841\nopcua_server_cert: a.crt\n"))
        .hasMessageContaining("opcua_server_cert: only used with opcua_server_security");
    assertThatThrownBy(
            () -> load("opcua_server_port: 4841\nopcua_server_security: basic256sha256\n"))
        .hasMessageContaining("opcua_server_cert: required");
  }
}
