package io.flexrig.controller.price;

import io.flexrig.core.economics.LoadForecast;
import io.flexrig.core.economics.RealTimePowerPrice;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The CSV files the operator's ISO integration drops for the controller, parsed with errors that
 * name file, line and column.
 *
 * <p>Real-time prices ({@code price-file}), one interval per line, prices in USD per MWh as markets
 * publish them:
 *
 * <pre>
 * # comments and blank lines are ignored
 * start,minutes,usd_per_mwh
 * 2026-08-20T19:00:00Z,5,32
 * 2026-08-20T19:05:00Z,5,38.5
 * </pre>
 *
 * <p>4CP load forecast ({@code price-4cp-forecast-file}), one 15-minute interval per line:
 *
 * <pre>
 * start,system_load_mw
 * 2026-08-20T20:00:00Z,84500
 * </pre>
 *
 * Starts are ISO-8601 instants with an offset ({@code Z} or {@code +hh:mm}); intervals must not
 * overlap; gaps are allowed (no price there).
 */
public final class PriceCsv {

  static final String PRICE_HEADER = "start,minutes,usd_per_mwh";
  static final String FORECAST_HEADER = "start,system_load_mw";

  private PriceCsv() {}

  /**
   * Reads a real-time price file.
   *
   * @param file the file's name for messages
   * @throws PriceFileException at the first mistake
   */
  public static RealTimePowerPrice prices(String file, String text) {
    List<Line> lines = rows(file, text, PRICE_HEADER);
    record Numbered(int line, RealTimePowerPrice.Interval interval) {}
    List<Numbered> intervals = new ArrayList<>();
    for (Line l : lines) {
      Instant start = l.instant(0);
      double minutes = l.number(1);
      if (!(minutes > 0)) {
        throw l.error(1, "must be positive, got " + l.cells[1]);
      }
      Duration each = Duration.ofMillis(Math.round(minutes * 60_000));
      intervals.add(
          new Numbered(
              l.number, RealTimePowerPrice.Interval.ofUsdPerMwh(start, each, l.number(2))));
    }
    intervals.sort(Comparator.comparing(n -> n.interval().start()));
    for (int i = 1; i < intervals.size(); i++) {
      Numbered prev = intervals.get(i - 1);
      Numbered next = intervals.get(i);
      if (next.interval().start().isBefore(prev.interval().end())) {
        throw new PriceFileException(
            file,
            Math.max(prev.line(), next.line()),
            "start",
            "the interval of line "
                + next.line()
                + " starting "
                + next.interval().start()
                + " overlaps the one of line "
                + prev.line()
                + " ("
                + prev.interval().start()
                + " .. "
                + prev.interval().end()
                + ")");
      }
    }
    return RealTimePowerPrice.strict(intervals.stream().map(Numbered::interval).toList());
  }

  /**
   * Reads a 4CP load forecast.
   *
   * @throws PriceFileException at the first mistake
   */
  public static List<LoadForecast> forecast(String file, String text) {
    List<LoadForecast> out = new ArrayList<>();
    for (Line l : rows(file, text, FORECAST_HEADER)) {
      Instant start = l.instant(0);
      double mw = l.number(1);
      if (!(mw > 0)) {
        throw l.error(1, "must be positive, got " + l.cells[1]);
      }
      out.add(new LoadForecast(start, mw));
    }
    return out;
  }

  private record Line(String file, int number, String[] columns, String[] cells) {

    PriceFileException error(int column, String message) {
      return new PriceFileException(file, number, columns[column], message);
    }

    Instant instant(int column) {
      try {
        return java.time.OffsetDateTime.parse(cells[column]).toInstant();
      } catch (DateTimeException e) {
        throw error(
            column,
            "expected an ISO-8601 instant such as 2026-08-20T19:00:00Z, got '"
                + cells[column]
                + "'");
      }
    }

    double number(int column) {
      double v;
      try {
        v = Double.parseDouble(cells[column]);
      } catch (NumberFormatException e) {
        throw error(column, "expected a number, got '" + cells[column] + "'");
      }
      if (!Double.isFinite(v)) {
        throw error(column, "expected a finite number, got '" + cells[column] + "'");
      }
      return v;
    }
  }

  private static List<Line> rows(String file, String text, String header) {
    String[] columns = header.split(",");
    List<Line> out = new ArrayList<>();
    boolean headerSeen = false;
    String[] raw = text.split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!headerSeen) {
        String normalised = line.replace(" ", "");
        if (!normalised.equals(header)) {
          throw new PriceFileException(
              file, i + 1, "header", "expected '" + header + "', got '" + line + "'");
        }
        headerSeen = true;
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != columns.length) {
        throw new PriceFileException(
            file,
            i + 1,
            cells.length < columns.length ? columns[cells.length] : "line",
            "expected " + columns.length + " columns (" + header + "), got " + cells.length);
      }
      for (int c = 0; c < cells.length; c++) {
        cells[c] = cells[c].strip();
      }
      out.add(new Line(file, i + 1, columns, cells));
    }
    if (!headerSeen) {
      throw new PriceFileException(file, 1, "header", "empty file; expected '" + header + "'");
    }
    return out;
  }
}
