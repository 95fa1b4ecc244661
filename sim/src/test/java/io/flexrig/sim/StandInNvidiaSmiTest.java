package io.flexrig.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in runs as a real child process, as the agent runs it. */
@Tag("integration")
class StandInNvidiaSmiTest {
  @TempDir Path dir;

  private record Run(int status, String out) {}

  private Run run(Path exe, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(exe.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  @Test
  void aPowerLimitSetWithDashPlShowsInTheQueryOfEveryGpu() throws Exception {
    Path exe = StandInNvidiaSmi.install(dir, 2, "NVIDIA GeForce RTX 4090", 450, 150);

    Run set = run(exe, "-pl", "300");
    Run query = run(exe, "--query-gpu=" + StandInNvidiaSmi.QUERY, "--format=csv,noheader,nounits");

    assertThat(set.status()).isZero();
    assertThat(set.out()).contains("was set to 300.00 W from 450.00 W", "All done.");
    assertThat(query.status()).isZero();
    assertThat(query.out().strip().split("\n"))
        .hasSize(2)
        .allMatch(l -> l.contains("NVIDIA GeForce RTX 4090, 288.00, 300.00,"));
    assertThat(StandInNvidiaSmi.limitW(dir, 1, 450)).isEqualTo(300);
  }

  @Test
  void oneGpuCanBeLimitedAndALimitOutsideTheCardsRangeIsRefused() throws Exception {
    Path exe = StandInNvidiaSmi.install(dir, 2, "NVIDIA GeForce RTX 4090", 450, 150);

    Run one = run(exe, "-i", "1", "-pl", "200");
    Run low = run(exe, "-pl", "100");
    Run gpu0 =
        run(
            exe,
            "--query-gpu=" + StandInNvidiaSmi.QUERY,
            "--format=csv,noheader,nounits",
            "--id=0");

    assertThat(one.status()).isZero();
    assertThat(StandInNvidiaSmi.limitW(dir, 1, 450)).isEqualTo(200);
    assertThat(low.status()).isEqualTo(2);
    assertThat(low.out()).contains("is not a valid power limit");
    assertThat(gpu0.out().strip()).startsWith("0, NVIDIA GeForce RTX 4090, 432.00, 450.00,");
  }
}
