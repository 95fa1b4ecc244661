package io.flexrig.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with aligned columns: the header in capitals, two spaces between columns,
 * numbers right-aligned, no trailing blanks.
 */
final class Table {

  /** How a column's cells line up. */
  enum Align {
    LEFT,
    RIGHT
  }

  private final String[] headers;
  private final Align[] aligns;
  private final List<String[]> rows = new ArrayList<>();

  /** A table with left-aligned columns; see {@link #align}. */
  Table(String... headers) {
    this.headers = headers.clone();
    this.aligns = new Align[headers.length];
    Arrays.fill(aligns, Align.LEFT);
  }

  /** Sets the alignment of one column (numbers read best right-aligned). */
  Table align(int column, Align align) {
    aligns[column] = align;
    return this;
  }

  /** Adds a row; it must have one cell per column. */
  Table row(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + headers.length + " columns");
    }
    rows.add(cells.clone());
    return this;
  }

  int size() {
    return rows.size();
  }

  /** The table, one line per row after the header line, each ending in a newline. */
  String render() {
    int[] widths = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      widths[c] = headers[c].length();
      for (String[] row : rows) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    for (String[] row : rows) {
      line(out, row, widths);
    }
    return out.toString();
  }

  private void line(StringBuilder out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        line.append("  ");
      }
      String cell = cells[c];
      String pad = " ".repeat(widths[c] - cell.length());
      if (aligns[c] == Align.RIGHT) {
        line.append(pad).append(cell);
      } else {
        line.append(cell).append(pad);
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
