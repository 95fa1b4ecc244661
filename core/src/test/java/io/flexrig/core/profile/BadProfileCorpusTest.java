package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of {@code bad-profiles/} declares in its header what the loader must report, one
 * {@code # expect: <line> <field> <message fragment>} per error; the loader must report exactly
 * those errors, no more and no fewer.
 */
class BadProfileCorpusTest {
  private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+) (\\S+) (.+)$");

  record Expectation(int line, String field, String fragment) {}

  static Stream<Path> badProfiles() throws IOException, URISyntaxException {
    Path dir =
        Path.of(
            Objects.requireNonNull(BadProfileCorpusTest.class.getResource("/bad-profiles"))
                .toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static List<Expectation> expectations(Path file) throws IOException {
    List<Expectation> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = EXPECT.matcher(line);
      if (m.matches()) {
        out.add(new Expectation(Integer.parseInt(m.group(1)), m.group(2), m.group(3)));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProfiles")
  void badProfileIsRejectedWithExactlyTheExpectedErrors(Path file) throws IOException {
    List<Expectation> expected = expectations(file);
    assertThat(expected).as("the file declares its expected errors").isNotEmpty();

    ProfileException e =
        catchThrowableOfType(ProfileException.class, () -> ProfileLoader.load(file));

    assertThat(e).as("loading %s must fail", file.getFileName()).isNotNull();
    assertThat(e.errors()).hasSameSizeAs(expected);
    for (Expectation x : expected) {
      assertThat(e.errors())
          .as("an error at line %d on %s containing \"%s\"", x.line(), x.field(), x.fragment())
          .anySatisfy(
              err -> {
                assertThat(err.line()).isEqualTo(x.line());
                assertThat(err.field()).isEqualTo(x.field());
                assertThat(err.message()).contains(x.fragment());
                assertThat(err.file()).isEqualTo(file.toString());
              });
    }
  }

  @Test
  void corpusCoversAtLeastTwelveKindsOfMistake() throws Exception {
    assertThat(badProfiles().count()).isGreaterThanOrEqualTo(12);
  }

  @Test
  void oneFileWithSeveralProblemsReportsAllOfThemInLineOrder() throws Exception {
    Path file =
        badProfiles().filter(p -> p.endsWith("several-problems.yaml")).findFirst().orElseThrow();

    assertThatThrownBy(() -> ProfileLoader.load(file))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(ProfileError::field)
                  .containsExactly(
                      "nameplate.hashrate_ths",
                      "power_curve.points[2].output",
                      "limits.ramp_w_per_s",
                      "limits.sleep_power_w",
                      "limits.board_temp_c.critical",
                      "limits.ramp_w_pers");
              assertThat(e.errors()).extracting(ProfileError::line).isSorted();
              assertThat(e.getMessage().lines()).hasSize(6);
            });
  }
}
