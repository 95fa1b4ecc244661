package io.flexrig.core.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's hardware-profiles/ directory, as the build passes it to every module. */
final class RepoProfiles {
  private RepoProfiles() {}

  static Path dir() {
    String configured = System.getProperty("flexrig.profiles.dir");
    Path dir = configured != null ? Path.of(configured) : Path.of("..", "hardware-profiles");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("..", "hardware-profiles");
    }
    return dir.toAbsolutePath().normalize();
  }

  static List<Path> files() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
