package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * Whatever a technician's editor (or a corrupted SD card) hands the loader, it ends in a profile or
 * in errors that each name the file, a line inside it and a field, never in another exception.
 *
 * <p>In the default build Jazzer replays the seed corpus (every real profile and every file of the
 * bad corpus, packaged by the pom into {@code ProfileLoaderFuzzTestInputs}); with {@code
 * JAZZER_FUZZ=1} it mutates them, which {@code test.sh} does for a bounded time.
 */
@Tag("fuzz")
class ProfileLoaderFuzzTest {
  private static final String SOURCE = "fuzzed.yaml";

  @FuzzTest(maxDuration = "20s")
  void loadedProfileOrLocatedErrors(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    int lines = (int) yaml.lines().count() + 1;
    try {
      HardwareProfile profile = ProfileLoader.load(SOURCE, yaml);
      assertThat(profile.id()).isNotBlank();
      assertThat(profile.limits().maxPowerW()).isPositive();
    } catch (ProfileException e) {
      assertThat(e.errors()).isNotEmpty();
      for (ProfileError error : e.errors()) {
        assertThat(error.file()).isEqualTo(SOURCE);
        assertThat(error.line()).isBetween(1, lines);
        assertThat(error.field()).isNotBlank();
        assertThat(error.message()).isNotBlank();
      }
    }
  }
}
