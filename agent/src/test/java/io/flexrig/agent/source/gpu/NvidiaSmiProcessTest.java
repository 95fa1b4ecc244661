package io.flexrig.agent.source.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.core.profile.SensorSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source runs nvidia-smi as a real child process: here a stand-in script that checks the
 * arguments it is given and prints recorded output, fails, or hangs.
 */
@Tag("integration")
class NvidiaSmiProcessTest {
  @TempDir Path dir;

  private final SourceContext context = SourceContext.builder().build();

  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private PolledSource open(String address, Path command, String timeoutMs) throws Exception {
    return (PolledSource)
        new NvidiaSmiDriver()
            .open(
                new SensorSpec(
                    "gpu_telemetry",
                    address,
                    Map.of("command", command.toString(), "timeout_ms", timeoutMs)),
                context);
  }

  @Test
  void runsNvidiaSmiWithTheQueryAndParsesItsOutput() throws Exception {
    Path csv = dir.resolve("out.csv");
    Files.writeString(csv, NvidiaSmiCsvTest.fixture("h100-sxm-x2.csv"));
    Path smi =
        script(
            "nvidia-smi",
            "[ \"$1\" = \"--query-gpu="
                + NvidiaSmiCsv.QUERY
                + "\" ] || exit 2\n"
                + "[ \"$2\" = \"--format=csv,noheader,nounits\" ] || exit 3\n"
                + "cat '"
                + csv
                + "'\n");
    try (PolledSource s = open("nvidia-smi:all", smi, "5000")) {
      List<Reading> r = s.sample();
      assertThat(r.getFirst().name()).isEqualTo("gpu_telemetry");
      assertThat(r.getFirst().value()).isEqualTo(698.12 + 112.47);
      assertThat(r).hasSize(13);
    }
  }

  @Test
  void oneGpuAddressAsksForThatGpuOnly() throws Exception {
    Path smi =
        script(
            "nvidia-smi",
            "[ \"$3\" = \"--id=1\" ] || exit 4\n"
                + "echo '1, NVIDIA A100-SXM4-80GB, 61.65, 400.00, 31, 0, 210, 1593'\n");
    try (PolledSource s = open("nvidia-smi:1", smi, "5000")) {
      assertThat(s.sample()).anyMatch(r -> r.name().equals("gpu_telemetry.gpu1.power"));
    }
  }

  @Test
  void aFailingNvidiaSmiFailsTheSampleWithItsMessage() throws Exception {
    Path smi =
        script(
            "nvidia-smi",
            "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\n"
                + "exit 9\n");
    try (PolledSource s = open("nvidia-smi:all", smi, "5000")) {
      assertThatThrownBy(s::sample)
          .isInstanceOf(NvidiaSmiException.class)
          .hasMessageContaining("exited with 9")
          .hasMessageContaining("couldn't communicate");
    }
  }

  @Test
  void aHungNvidiaSmiIsKilledAtTheTimeout() throws Exception {
    Path smi = script("nvidia-smi", "exec sleep 30\n");
    try (PolledSource s = open("nvidia-smi:all", smi, "300")) {
      assertThatThrownBy(s::sample)
          .isInstanceOf(NvidiaSmiException.class)
          .hasMessageContaining("did not finish within 300 ms");
    }
  }

  @Test
  void aMissingExecutableIsATypedError() throws Exception {
    try (PolledSource s = open("nvidia-smi:all", dir.resolve("absent"), "1000")) {
      assertThatThrownBy(s::sample)
          .isInstanceOf(NvidiaSmiException.class)
          .hasMessageContaining("cannot run");
    }
  }
}
