package io.flexrig.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The reliability suite's figures (faults injected, samples sent, stored, lost, inputs tried),
 * recorded by the tests that produce them and printed together by {@code test.sh} at the end of the
 * build, so a reader sees what the suite really exercised rather than only that it passed.
 *
 * <p>Each figure is one tab-separated line appended to the file named by the system property
 * {@value #FILE_PROPERTY} (set by the parent pom for every module's tests); without it (a test run
 * from an IDE) the figure goes to standard output only. Lines are short single writes in append
 * mode, so forks of several modules never interleave inside a line.
 */
public final class SuiteFigures {
  /** System property naming the file the figures are appended to. */
  public static final String FILE_PROPERTY = "flexrig.suite.figures";

  private SuiteFigures() {}

  /** Records one figure of a test, e.g. {@code record(FleetFaultTest.class, "samples lost", 0)}. */
  public static void record(Class<?> test, String figure, Object value) {
    String line = line(test.getSimpleName(), figure, String.valueOf(value));
    System.out.print("suite figure: " + line);
    String file = System.getProperty(FILE_PROPERTY);
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      Path path = Path.of(file);
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.writeString(
          path,
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record suite figure in " + file, e);
    }
  }

  static String line(String test, String figure, String value) {
    return clean(test) + "\t" + clean(figure) + "\t" + clean(value) + "\n";
  }

  private static String clean(String field) {
    return field.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
