package io.flexrig.controller.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic job that rolls raw telemetry up into 1-minute rows and applies retention.
 *
 * <p>Rollup: per rig, the samples above its mark ({@code telemetry_rollup_marks}) are aggregated by
 * minute and merged into {@code telemetry_rollups} (counts and sums add up, min and max widen),
 * then the mark moves over exactly the samples read, in the same transaction of the store's writer.
 * A run is a chain of such steps, each over a few rigs and a bounded range of their sequences (a
 * whole fleet's half minute in one statement held the writer, and so every agent's ack, for
 * seconds). Each step is exactly-once: a restart before its commit redoes it, one after finds
 * nothing new. Late samples of an old minute (an agent replaying after an outage) carry higher
 * sequences and join their minute's row. Reading is by primary key range, never a table scan.
 *
 * <p>Retention: raw samples older than {@link TelemetryRetention#rawSamples()} (and already rolled
 * up) and rollups older than {@link TelemetryRetention#rollups()} are deleted by statements of at
 * most {@link TelemetryRetention#deleteBatch()} rows, each its own task on the writer's bulk lane
 * queued when the previous one committed, so telemetry writes of the agents interleave with them.
 *
 * <p>Everything runs through the store's single writer: no second writer contends for SQLite's
 * lock, and the statements are plain SQL both databases accept.
 */
public final class TelemetryRollups implements AutoCloseable {

  /**
   * What one run did.
   *
   * @param minutesUpdated rollup rows written or merged into
   * @param rawDeleted raw samples deleted by retention
   * @param rollupsDeleted rollup rows deleted by retention
   */
  public record Run(long minutesUpdated, long rawDeleted, long rollupsDeleted) {}

  private static final Logger log = LoggerFactory.getLogger(TelemetryRollups.class);
  static final long MINUTE_MS = 60_000;

  private static final String NEW_MARKS =
      "INSERT INTO telemetry_rollup_marks (rig_id, rolled_through_sequence)"
          + " SELECT rig_id, 0 FROM rigs WHERE true ON CONFLICT (rig_id) DO NOTHING";
  // "WHERE true" before ON CONFLICT: SQLite would otherwise read ON as a join constraint.
  // One chunk: the rigs whose id is in (?, ?], each up to ? sequences past its mark. A run is a
  // chain of chunks, each its own short writer transaction, so telemetry commits interleave with a
  // rollup of minutes of a whole fleet's samples instead of waiting seconds behind one statement.
  private static final String CHUNK_END =
      "SELECT MAX(rig_id) FROM (SELECT rig_id FROM telemetry_rollup_marks WHERE rig_id > ?"
          + " ORDER BY rig_id LIMIT ?) c";
  private static final String MERGE =
      "INSERT INTO telemetry_rollups (rig_id, minute_start, sample_count, power_count,"
          + " power_min_w, power_max_w, power_sum_w, chip_temp_sum_c, hashrate_sum_ths)"
          + " SELECT t.rig_id, (t.sampled_at / 60000) * 60000, COUNT(*),"
          + " SUM(CASE WHEN t.power_quality IN ('GOOD', 'UNCERTAIN') THEN 1 ELSE 0 END),"
          + " MIN(CASE WHEN t.power_quality IN ('GOOD', 'UNCERTAIN') THEN t.power_w END),"
          + " MAX(CASE WHEN t.power_quality IN ('GOOD', 'UNCERTAIN') THEN t.power_w END),"
          + " SUM(CASE WHEN t.power_quality IN ('GOOD', 'UNCERTAIN') THEN t.power_w ELSE 0 END),"
          + " SUM(t.chip_temp_max_c), SUM(t.hashrate_ths)"
          + " FROM telemetry_rollup_marks m JOIN telemetry t ON t.rig_id = m.rig_id"
          + " WHERE m.rig_id > ? AND m.rig_id <= ?"
          + " AND t.sequence > m.rolled_through_sequence"
          + " AND t.sequence <= m.rolled_through_sequence + ?"
          + " GROUP BY t.rig_id, (t.sampled_at / 60000) * 60000"
          + " ON CONFLICT (rig_id, minute_start) DO UPDATE SET"
          + " sample_count = telemetry_rollups.sample_count + excluded.sample_count,"
          + " power_count = telemetry_rollups.power_count + excluded.power_count,"
          + " power_min_w = CASE WHEN telemetry_rollups.power_min_w IS NULL"
          + " OR excluded.power_min_w < telemetry_rollups.power_min_w"
          + " THEN excluded.power_min_w ELSE telemetry_rollups.power_min_w END,"
          + " power_max_w = CASE WHEN telemetry_rollups.power_max_w IS NULL"
          + " OR excluded.power_max_w > telemetry_rollups.power_max_w"
          + " THEN excluded.power_max_w ELSE telemetry_rollups.power_max_w END,"
          + " power_sum_w = telemetry_rollups.power_sum_w + excluded.power_sum_w,"
          + " chip_temp_sum_c = telemetry_rollups.chip_temp_sum_c + excluded.chip_temp_sum_c,"
          + " hashrate_sum_ths = telemetry_rollups.hashrate_sum_ths + excluded.hashrate_sum_ths";
  // The mark moves over exactly what MERGE read: up to mark + step, or to the rig's last sample.
  private static final String MAX_SEQUENCE =
      "(SELECT MAX(t.sequence) FROM telemetry t WHERE t.rig_id = telemetry_rollup_marks.rig_id)";
  private static final String MOVE_MARKS =
      "UPDATE telemetry_rollup_marks SET rolled_through_sequence = CASE WHEN "
          + MAX_SEQUENCE
          + " > rolled_through_sequence + ? THEN rolled_through_sequence + ? ELSE "
          + MAX_SEQUENCE
          + " END WHERE rig_id > ? AND rig_id <= ? AND "
          + MAX_SEQUENCE
          + " > rolled_through_sequence";
  // Rigs of the chunk with samples still above their mark (they had more than one step).
  private static final String BEHIND =
      "SELECT COUNT(*) FROM telemetry_rollup_marks m WHERE m.rig_id > ? AND m.rig_id <= ?"
          + " AND EXISTS (SELECT 1 FROM telemetry t WHERE t.rig_id = m.rig_id"
          + " AND t.sequence > m.rolled_through_sequence)";
  // Bounds one step to RIGS_PER_CHUNK x SEQUENCES_PER_STEP samples (16,384, some 15 ms of the
  // writer's CPU), about what one telemetry transaction takes.
  static final int RIGS_PER_CHUNK = 64;
  static final int SEQUENCES_PER_STEP = 256;
  // Only samples already rolled up: a stalled rollup never costs data.
  private static final String DELETE_RAW =
      "DELETE FROM telemetry WHERE (rig_id, sequence) IN (SELECT t.rig_id, t.sequence"
          + " FROM telemetry t JOIN telemetry_rollup_marks m ON m.rig_id = t.rig_id"
          + " WHERE t.sampled_at < ? AND t.sequence <= m.rolled_through_sequence LIMIT ?)";
  private static final String DELETE_ROLLUPS =
      "DELETE FROM telemetry_rollups WHERE (rig_id, minute_start) IN (SELECT rig_id, minute_start"
          + " FROM telemetry_rollups WHERE minute_start < ? LIMIT ?)";

  private final StoreWriter writer;
  private final TelemetryRetention retention;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private ScheduledExecutorService timer;

  public TelemetryRollups(ControllerStore store, TelemetryRetention retention, Clock clock) {
    this.writer = store.writer();
    this.retention = retention;
    this.clock = clock;
  }

  /** Runs the job every {@link TelemetryRetention#every()}, the first time right away. */
  public synchronized TelemetryRollups start() {
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("telemetry-rollups").daemon(true).factory());
      long every = retention.every().toMillis();
      timer.scheduleWithFixedDelay(this::runQuietly, 0, every, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void runQuietly() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      Run r = runOnce().get(10, TimeUnit.MINUTES);
      if (r.minutesUpdated() > 0 || r.rawDeleted() > 0 || r.rollupsDeleted() > 0) {
        log.debug(
            "Rolled up {} rig-minutes; retention deleted {} samples and {} rollups",
            r.minutesUpdated(),
            r.rawDeleted(),
            r.rollupsDeleted());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Telemetry rollup or retention failed; next run in {}", retention.every(), e);
    } finally {
      running.set(false);
    }
  }

  /** One rollup and retention pass; completes when all of it committed. */
  public CompletableFuture<Run> runOnce() {
    return rollUp()
        .thenCompose(
            minutes ->
                retain().thenApply(r -> new Run(minutes, r.rawDeleted(), r.rollupsDeleted())));
  }

  /** Rolls up what is new since the last run; completes with the rig-minutes written. */
  public CompletableFuture<Long> rollUp() {
    return writer
        .submitBulk("telemetry rollup marks", s -> s.get(NEW_MARKS).executeUpdate())
        .thenCompose(ok -> rollUpChunk("", 0));
  }

  // One chunk step: rigs after `after` (ids sort as text on both databases), at most
  // RIGS_PER_CHUNK of them. The same chunk is stepped again while any of its rigs is behind.
  private CompletableFuture<Long> rollUpChunk(String after, long minutesSoFar) {
    String[] last = new String[1];
    long[] minutes = new long[1];
    boolean[] behind = new boolean[1];
    // On the bulk lane: the next step is queued only when this one committed, behind the telemetry
    // that arrived meanwhile, so the steps and the agents' batches take turns on the writer. (On
    // the control lane, which is drained before any telemetry, the chain would run back to back.)
    return writer
        .submitBulk(
            "telemetry rollup",
            s -> {
              PreparedStatement end = s.get(CHUNK_END);
              end.setString(1, after);
              end.setInt(2, RIGS_PER_CHUNK);
              try (ResultSet rs = end.executeQuery()) {
                last[0] = rs.next() ? rs.getString(1) : null;
              }
              if (last[0] == null) {
                return;
              }
              PreparedStatement merge = s.get(MERGE);
              merge.setString(1, after);
              merge.setString(2, last[0]);
              merge.setLong(3, SEQUENCES_PER_STEP);
              minutes[0] = merge.executeUpdate();
              PreparedStatement move = s.get(MOVE_MARKS);
              move.setLong(1, SEQUENCES_PER_STEP);
              move.setLong(2, SEQUENCES_PER_STEP);
              move.setString(3, after);
              move.setString(4, last[0]);
              move.executeUpdate();
              PreparedStatement more = s.get(BEHIND);
              more.setString(1, after);
              more.setString(2, last[0]);
              try (ResultSet rs = more.executeQuery()) {
                behind[0] = rs.next() && rs.getLong(1) > 0;
              }
            })
        .thenCompose(
            ok -> {
              long total = minutesSoFar + minutes[0];
              if (last[0] == null) {
                return CompletableFuture.completedFuture(total);
              }
              return rollUpChunk(behind[0] ? after : last[0], total);
            });
  }

  /** Applies retention as of the clock's now (raw samples only once rolled up). */
  public CompletableFuture<Run> retain() {
    Instant now = clock.instant();
    return deleteInBatches(DELETE_RAW, now.minus(retention.rawSamples()).toEpochMilli(), "raw", 0)
        .thenCompose(
            raw ->
                deleteInBatches(
                        DELETE_ROLLUPS, now.minus(retention.rollups()).toEpochMilli(), "rollups", 0)
                    .thenApply(rollups -> new Run(0, raw, rollups)));
  }

  /** Deletes batch after batch (each its own writer task) until a batch comes back short. */
  private CompletableFuture<Long> deleteInBatches(
      String sql, long before, String what, long deletedSoFar) {
    int batch = retention.deleteBatch();
    int[] n = new int[1];
    // Bulk lane, like the rollup steps: a day's backlog of deletes must take turns with telemetry.
    return writer
        .submitBulk(
            "retention " + what,
            s -> {
              PreparedStatement ps = s.get(sql);
              ps.setLong(1, before);
              ps.setInt(2, batch);
              n[0] = ps.executeUpdate();
            })
        .thenCompose(
            ok ->
                n[0] < batch
                    ? CompletableFuture.completedFuture(deletedSoFar + n[0])
                    : deleteInBatches(sql, before, what, deletedSoFar + n[0]));
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
  }
}
