package io.flexrig.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteFiguresTest {
  private String previous;

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty(SuiteFigures.FILE_PROPERTY);
    } else {
      System.setProperty(SuiteFigures.FILE_PROPERTY, previous);
    }
  }

  @Test
  void figuresAreAppendedOneTabSeparatedLineEach(@TempDir Path dir) throws Exception {
    previous = System.getProperty(SuiteFigures.FILE_PROPERTY);
    Path file = dir.resolve("nested/figures.tsv");
    System.setProperty(SuiteFigures.FILE_PROPERTY, file.toString());

    SuiteFigures.record(SuiteFiguresTest.class, "samples sent", 12_000);
    SuiteFigures.record(SuiteFiguresTest.class, "odd\tfigure\nname", "a\tb");

    assertThat(Files.readAllLines(file))
        .containsExactly(
            "SuiteFiguresTest\tsamples sent\t12000", "SuiteFiguresTest\todd figure name\ta b");
  }
}
