package io.flexrig.bench.fleet;

import java.util.Arrays;
import java.util.Locale;

/**
 * Latencies in nanoseconds, kept whole (a run holds at most a few million) for exact percentiles.
 */
final class LatencyStats {

  private long[] values = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  synchronized void clear() {
    size = 0;
  }

  /** The value at a quantile (0..1) in milliseconds; NaN when empty. */
  synchronized double quantileMs(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int i = (int) Math.min(size - 1, Math.max(0, Math.ceil(q * size) - 1));
    return sorted[i] / 1e6;
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms",
        count(),
        quantileMs(0.5),
        quantileMs(0.99),
        quantileMs(1.0));
  }
}
