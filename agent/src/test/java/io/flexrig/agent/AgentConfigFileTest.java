package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigFileTest {
  private static final Path PROFILE =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .resolve("antminer-s19j-pro.yaml")
          .toAbsolutePath();

  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void theShippedSampleLoadsWithItsOverridesAndDefaults() throws Exception {
    String sample = Files.readString(Path.of("src/main/dist/agent.yaml"));
    Path file = write(sample.replace("profiles/antminer-s19j-pro.yaml", PROFILE.toString()));

    AgentConfig config = AgentConfigFile.load(file);

    assertThat(config.rigId()).isEqualTo("site-a-r1-s07");
    assertThat(config.profile().id()).isEqualTo("antminer-s19j-pro");
    assertThat(config.controllerTarget()).isEqualTo("127.0.0.1:7443");
    assertThat(config.telemetryInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.sensorAddressOverrides())
        .containsEntry("outlet_power", "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet07.ActivePowerW");
    assertThat(config.i2cProviderId()).isEqualTo("linuxfs-i2c");
    assertThat(config.pi4j()).isNotNull();
    assertThat(config.agentApi()).as("AgentService is off unless a port is set").isNull();
  }

  @Test
  void agentApiNeedsTlsMaterialUnlessPlaintextAndBindsLoopbackByDefault() throws Exception {
    String base = "rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n";

    AgentConfig tls =
        AgentConfigFile.load(
            write(
                base
                    + "agent_api_port: 50061\nagent_api_tls_cert: api.crt\n"
                    + "agent_api_tls_key: api.key\nagent_api_client_ca: ca.crt\n"));
    assertThat(tls.agentApi().port()).isEqualTo(50061);
    assertThat(tls.agentApi().bindAddress()).isEqualTo("127.0.0.1");
    assertThat(tls.agentApi().plaintext()).isFalse();
    assertThat(tls.agentApi().clientCa()).isEqualTo(dir.resolve("ca.crt").toAbsolutePath());

    assertThat(
            AgentConfigFile.load(write(base + "agent_api_port: 50061\nagent_api_plaintext: true\n"))
                .agentApi()
                .plaintext())
        .isTrue();
    assertThatThrownBy(() -> AgentConfigFile.load(write(base + "agent_api_port: 50061\n")))
        .hasMessageContaining("agent_api_tls_cert: required");
  }

  @Test
  void workloadsNameACommandLineOrASystemdUnitPerProfileWorkload() throws Exception {
    String base = "rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n";

    AgentConfig config =
        AgentConfigFile.load(
            write(
                base
                    + "workloads:\n"
                    + "  initial: mining\n"
                    + "  restart_backoff_ms: 500\n"
                    + "  run:\n"
                    + "    mining:\n"
                    + "      command: [/opt/miner/bin/bmminer, --api-listen]\n"
                    + "      api: cgminer://127.0.0.1:4029\n"));

    var launch = config.workloads().launches().get("mining");
    assertThat(launch.command()).containsExactly("/opt/miner/bin/bmminer", "--api-listen");
    assertThat(launch.api()).isEqualTo("cgminer://127.0.0.1:4029");
    assertThat(config.workloads().initial()).isEqualTo("mining");
    assertThat(config.workloads().supervision().initialBackoff()).isEqualTo(Duration.ofMillis(500));
    assertThat(AgentConfigFile.load(write(base)).workloads().launches())
        .as("the firmware runs the workload unless told otherwise")
        .isEmpty();
    assertThatThrownBy(
            () ->
                AgentConfigFile.load(
                    write(
                        base
                            + "workloads:\n  run:\n    mining:\n"
                            + "      command: [x]\n      systemd_unit: m.service\n")))
        .hasMessageContaining("agent.yaml")
        .hasMessageContaining("workloads.run.mining: give a command or a systemd_unit");
    assertThatThrownBy(
            () -> AgentConfigFile.load(write(base + "workloads:\n  restart_backof_ms: 5\n")))
        .hasMessageContaining("workloads.restart_backof_ms: unknown");
  }

  @Test
  void errorsNameTheFileAndTheField() throws Exception {
    Path missing = write("site_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n");
    assertThatThrownBy(() -> AgentConfigFile.load(missing))
        .hasMessageContaining("agent.yaml")
        .hasMessageContaining("rig_id");

    Path typo = write("rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroler: 127.0.0.1:1\n");
    assertThatThrownBy(() -> AgentConfigFile.load(typo)).hasMessageContaining("controler: unknown");

    Path badNumber =
        write(
            "rig_id: r\nsite_id: a\nprofile: "
                + PROFILE
                + "\ncontroller: 127.0.0.1:1\ntelemetry_interval_ms: soon\n");
    assertThatThrownBy(() -> AgentConfigFile.load(badNumber))
        .hasMessageContaining("telemetry_interval_ms");
  }

  @Test
  void opcUaBasic256Sha256LoadsPemFilesRelativeToTheConfigFile() throws Exception {
    java.security.KeyPair keys =
        org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator.generateRsaKeyPair(
            2048);
    java.security.cert.X509Certificate cert =
        new org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder(keys)
            .setCommonName("rig")
            .setApplicationUri("urn:flexrig:agent:r")
            .build();
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
    Files.createDirectories(dir.resolve("pki/trusted"));
    Files.writeString(
        dir.resolve("pki/agent.crt"),
        "-----BEGIN CERTIFICATE-----\n"
            + b64.encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Files.writeString(
        dir.resolve("pki/agent.key"),
        "-----BEGIN PRIVATE KEY-----\n"
            + b64.encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    String base = "rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n";

    AgentConfig config =
        AgentConfigFile.load(
            write(
                base
                    + "opcua_security: basic256sha256\nopcua_cert: pki/agent.crt\n"
                    + "opcua_key: pki/agent.key\nopcua_trust_dir: pki/trusted\n"));

    assertThat(config.opcUaSecurity().secure()).isTrue();
    assertThat(config.opcUaSecurity().certificate()).isEqualTo(cert);
    assertThat(config.opcUaSecurity().trustDirectory()).isEqualTo(dir.resolve("pki/trusted"));
    assertThat(AgentConfigFile.load(write(base)).opcUaSecurity().secure()).isFalse();
    Path unknown = write(base + "opcua_security: basic128\n");
    assertThatThrownBy(() -> AgentConfigFile.load(unknown)).hasMessageContaining("opcua_security");
    Path noKey =
        write(
            base
                + "opcua_security: basic256sha256\nopcua_cert: pki/agent.crt\n"
                + "opcua_trust_dir: pki/trusted\n");
    assertThatThrownBy(() -> AgentConfigFile.load(noKey)).hasMessageContaining("opcua_key");
    Path stray = write(base + "opcua_cert: pki/agent.crt\n");
    assertThatThrownBy(() -> AgentConfigFile.load(stray))
        .hasMessageContaining("opcua_cert: only used with opcua_security: basic256sha256");
  }
}
