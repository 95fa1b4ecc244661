package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void alignsColumnsToTheWidestCellWithTwoSpacesBetween() {
    String table =
        new Table("EVENT", "STATE", "KW")
            .align(2, Table.Align.RIGHT)
            .row("e-1", "scheduled", "5.0")
            .row("event-22", "active", "1200.5")
            .render();

    assertThat(table)
        .isEqualTo(
            """
            EVENT     STATE          KW
            e-1       scheduled     5.0
            event-22  active     1200.5
            """);
  }

  @Test
  void leavesNoTrailingBlanks() {
    String table = new Table("A", "B").row("long value", "").row("x", "y").render();

    assertThat(table.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    assertThat(table).isEqualTo("A           B\nlong value\nx           y\n");
  }

  @Test
  void refusesARowOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 cells, table has 2 columns");
  }
}
