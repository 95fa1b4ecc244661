package io.flexrig.controller.compliance;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Stored site load and stored reports, as the compliance reports need them (the store). */
public interface LoadHistory {

  /** Length of a compliance interval. */
  long QUARTER_HOUR_MS = 15 * 60 * 1000;

  /**
   * The site's load per quarter hour in [from, to): for each quarter hour with data (keyed by its
   * start), the sum over rigs of each rig's average power in that part of the quarter hour, in W.
   */
  Map<Instant, Double> siteLoadByQuarterHour(String siteId, Instant from, Instant to);

  /** Each rig's average power in [from, to), in W; rigs without samples are absent. */
  Map<String, Double> rigAverageW(String siteId, Instant from, Instant to);

  /** The final report stored for an event, if any. */
  Optional<ComplianceReport> storedReport(String eventId);

  /** Stores a final report (once per event; a second save is ignored). */
  CompletableFuture<Void> saveReport(ComplianceReport report);
}
