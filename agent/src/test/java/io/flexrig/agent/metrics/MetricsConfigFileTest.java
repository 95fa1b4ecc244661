package io.flexrig.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.AgentConfigFile;
import io.flexrig.metricshttp.MetricsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsConfigFileTest {
  private static final Path PROFILE =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .resolve("antminer-s19j-pro.yaml")
          .toAbsolutePath();
  private static final String BASE =
      "rig_id: r\nsite_id: a\nprofile: " + PROFILE + "\ncontroller: 127.0.0.1:1\n";

  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void metricsAreOffUnlessAPortIsSetAndBindLoopbackByDefault() throws Exception {
    assertThat(AgentConfigFile.load(write(BASE)).metrics()).isNull();

    MetricsSettings on = AgentConfigFile.load(write(BASE + "metrics_port: 9464\n")).metrics();
    assertThat(on).isEqualTo(new MetricsSettings("127.0.0.1", 9464));

    assertThat(
            AgentConfigFile.load(write(BASE + "metrics_port: 9464\nmetrics_bind: 0.0.0.0\n"))
                .metrics()
                .bindAddress())
        .isEqualTo("0.0.0.0");
  }

  @Test
  void aBindWithoutAPortOrANonPortIsNamed() {
    assertThatThrownBy(() -> AgentConfigFile.load(write(BASE + "metrics_bind: 0.0.0.0\n")))
        .hasMessageContaining("metrics_bind")
        .hasMessageContaining("metrics_port");
    assertThatThrownBy(() -> AgentConfigFile.load(write(BASE + "metrics_port: 99999\n")))
        .hasMessageContaining("metrics_port");
    assertThatThrownBy(() -> AgentConfigFile.load(write(BASE + "metrics_port: nine\n")))
        .hasMessageContaining("metrics_port");
  }
}
