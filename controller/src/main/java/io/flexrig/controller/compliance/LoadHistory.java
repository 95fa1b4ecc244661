package io.flexrig.controller.compliance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Stored site load and stored reports, as the compliance reports need them (the store).
 *
 * <p>Load is read from wherever it still is: raw telemetry is kept for hours, its 1-minute rollups
 * for months, and the answer is the same either way (a rig's average over a span is its power sum
 * over its usable sample count, whether the sums come from samples or from rollup rows).
 */
public interface LoadHistory {

  /** Length of a compliance interval. */
  long QUARTER_HOUR_MS = 15 * 60 * 1000;

  /** A span of time [from, to). */
  record Window(Instant from, Instant to) {
    public Window {
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("empty window [" + from + ", " + to + ")");
      }
    }
  }

  /**
   * The site's load per quarter hour in [from, to): for each quarter hour with data (keyed by its
   * start), the sum over rigs of each rig's average power in that part of the quarter hour, in W.
   */
  default Map<Instant, Double> siteLoadByQuarterHour(String siteId, Instant from, Instant to) {
    return siteLoadByQuarterHour(siteId, List.of(new Window(from, to)));
  }

  /**
   * The site's load per quarter hour within {@code windows} (overlaps count once), as {@link
   * #siteLoadByQuarterHour(String, Instant, Instant)}, in one read: the like-day baseline asks for
   * the event's window on each of the look-back days at once.
   */
  Map<Instant, Double> siteLoadByQuarterHour(String siteId, List<Window> windows);

  /** Each rig's average power in [from, to), in W; rigs without samples are absent. */
  Map<String, Double> rigAverageW(String siteId, Instant from, Instant to);

  /** The final report stored for an event, if any. */
  Optional<ComplianceReport> storedReport(String eventId);

  /** Stores a final report (once per event; a second save is ignored). */
  CompletableFuture<Void> saveReport(ComplianceReport report);
}
