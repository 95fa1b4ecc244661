package io.flexrig.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The units in systemd/ as systemd itself judges them: verify clean, security exposure OK. */
@Tag("integration")
class SystemdUnitsTest {
  static final Path UNITS = Path.of(System.getProperty("flexrig.systemd.dir", "../systemd"));
  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+) (\\S+)");

  @BeforeEach
  void needsSystemdAnalyze() {
    assumeTrue(
        Command.onPath("systemd-analyze"),
        "systemd-analyze is not installed (apt-get install systemd; .ci/run does it)");
  }

  @Test
  void bothUnitsPassSystemdAnalyzeVerifyWithoutAWarning(@TempDir Path root) throws Exception {
    // verify checks ExecStart= exists and resolves the unit's dependencies: an alternate root
    // with the system's units, the two units and stand-ins for the launchers the packages install.
    Path systemUnits = Path.of("/lib/systemd/system");
    copyTree(systemUnits, root.resolve("usr/lib/systemd/system"));
    Files.createDirectories(root.resolve("etc/systemd/system"));
    for (String name : List.of("flexrig-agent", "flexrig-controller")) {
      Files.copy(
          UNITS.resolve(name + ".service"),
          root.resolve("etc/systemd/system/" + name + ".service"));
      Path launcher = root.resolve("opt/flexrig/bin/" + name);
      Files.createDirectories(launcher.getParent());
      Files.writeString(launcher, "#!/bin/sh\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    for (String unit : List.of("flexrig-agent.service", "flexrig-controller.service")) {
      Command verify = Command.run(List.of("systemd-analyze", "verify", "--root=" + root, unit));
      System.out.printf(
          "systemd-analyze verify %s: exit %d%n%s", unit, verify.exitCode(), verify.output());
      assertThat(verify.exitCode()).as(verify.output()).isZero();
      assertThat(verify.output()).as("no warnings (unknown keys are only warned about)").isBlank();
    }
  }

  @Test
  void agentUnitIsRatedOkBySystemdAnalyzeSecurity() throws Exception {
    double agent = exposure("flexrig-agent.service");
    assertThat(agent)
        .as("exposure of the agent unit (2.5 or lower is 'OK')")
        .isLessThanOrEqualTo(2.5);
  }

  @Test
  void controllerUnitIsRatedOkBySystemdAnalyzeSecurity() throws Exception {
    assertThat(exposure("flexrig-controller.service")).isLessThanOrEqualTo(2.5);
  }

  @Test
  void aWeakUnitScoresWorseSoTheRatingIsRead(@TempDir Path dir) throws Exception {
    Path weak = dir.resolve("weak.service");
    Files.writeString(weak, "[Service]\nExecStart=/bin/true\n");
    assertThat(exposureOf(weak)).isGreaterThan(5.0);
  }

  private static double exposure(String unit) throws Exception {
    double score = exposureOf(UNITS.resolve(unit).toAbsolutePath());
    System.out.printf("systemd-analyze security --offline=true %s: %.1f%n", unit, score);
    return score;
  }

  private static double exposureOf(Path unitFile) throws IOException, InterruptedException {
    Command security =
        Command.run(
            List.of(
                "systemd-analyze",
                "security",
                "--offline=true",
                "--no-pager",
                unitFile.toString()));
    Matcher m = EXPOSURE.matcher(security.output());
    assertThat(m.find()).as(security.output()).isTrue();
    return Double.parseDouble(m.group(2));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isSymbolicLink(source)) {
          if (Files.readSymbolicLink(source).isAbsolute()) {
            continue; // masked units (-> /dev/null): nothing the two units depend on
          }
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Files.readSymbolicLink(source));
        } else if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
