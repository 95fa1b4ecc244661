package io.flexrig.agent.source.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=<}{@link #QUERY}{@code >
 * --format=csv,noheader,nounits}: one line per GPU, fields separated by {@code ", "}. Fields the
 * GPU cannot report read {@code [N/A]} or {@code [Not Supported]} (and {@code [Unknown Error]},
 * {@code [GPU is lost]} when it is failing); they become NaN. Pure.
 */
public final class NvidiaSmiCsv {
  /** The fields asked for, in order. */
  public static final String QUERY =
      "index,name,power.draw,power.limit,temperature.gpu,utilization.gpu,clocks.sm,clocks.mem";

  private static final int FIELDS = 8;

  private NvidiaSmiCsv() {}

  /**
   * Parses every GPU line; blank lines are skipped.
   *
   * @throws NvidiaSmiException when a line does not have the queried shape (e.g. nvidia-smi printed
   *     an error message instead of CSV)
   */
  public static List<GpuStats> parse(String output) throws NvidiaSmiException {
    List<GpuStats> gpus = new ArrayList<>(8);
    for (String line : output.split("\\R")) {
      if (!line.isBlank()) {
        gpus.add(parseLine(line.strip()));
      }
    }
    return gpus;
  }

  static GpuStats parseLine(String line) throws NvidiaSmiException {
    String[] f = line.split(",");
    if (f.length < FIELDS) {
      throw new NvidiaSmiException("not a --query-gpu line (" + f.length + " fields): " + line);
    }
    // A product name could contain a comma; the numeric fields are counted from the right.
    int n = f.length;
    StringBuilder name = new StringBuilder(f[1].strip());
    for (int i = 2; i < n - 6; i++) {
      name.append(',').append(f[i]);
    }
    int index;
    try {
      index = Integer.parseInt(f[0].strip());
    } catch (NumberFormatException e) {
      throw new NvidiaSmiException("GPU index '" + f[0].strip() + "' is not a number: " + line);
    }
    return new GpuStats(
        index,
        name.toString().strip(),
        number(f[n - 6], line),
        number(f[n - 5], line),
        number(f[n - 4], line),
        number(f[n - 3], line),
        number(f[n - 2], line),
        number(f[n - 1], line));
  }

  private static double number(String field, String line) throws NvidiaSmiException {
    String v = field.strip();
    if (v.startsWith("[") && v.endsWith("]")) {
      return Double.NaN; // [N/A], [Not Supported], [Unknown Error], [GPU is lost]
    }
    if (v.equals("N/A")) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException(v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new NvidiaSmiException("field '" + v + "' is not a number: " + line);
    }
  }
}
