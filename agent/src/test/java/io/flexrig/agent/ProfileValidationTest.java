package io.flexrig.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileValidationTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aCheckedInProfileValidates() {
    Path profile =
        Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
            .resolve("antminer-s19j-pro.yaml");
    assertThat(run(profile.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(": OK (");
  }

  @Test
  void aBrokenProfileIsReportedWithFileAndLine(@TempDir Path dir) throws Exception {
    Path profile = dir.resolve("broken.yaml");
    Files.writeString(profile, "id: broken\nvendor: X\nmodel: [not, a, string]\n");
    assertThat(run(profile.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(profile + ":");
  }

  @Test
  void withoutAFileItPrintsUsage() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: flexrig-agent profile validate");
  }

  private int run(String... files) {
    return ProfileValidation.run(
        files,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
