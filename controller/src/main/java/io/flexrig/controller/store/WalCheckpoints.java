package io.flexrig.controller.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from a thread and connection of its
 * own, so the store's writer only appends to the log and fsyncs it.
 *
 * <p>With SQLite's automatic checkpoint the commit that crosses its threshold (1,000 pages) also
 * copies the whole log into the database file and fsyncs that too, on the writer's thread: with
 * telemetry keyed by rig, a transaction touches about one page per rig, so at fleet scale nearly
 * every commit did it. A {@code PASSIVE} checkpoint here never blocks the writer (it copies what is
 * committed and stops where the writer is), and a page rewritten by several transactions between
 * two checkpoints is copied once. Durability does not change: a commit is durable once the log is
 * fsynced ({@code synchronous=FULL}); the checkpoint only moves committed pages.
 *
 * <p>The writer keeps a high automatic threshold as a safety net, so the log stays bounded even if
 * this thread falls behind or fails.
 */
final class WalCheckpoints implements AutoCloseable {

  /** Log pages (4 KiB) after which the writer's own commit checkpoints: 64 MiB. */
  static final int WRITER_FALLBACK_PAGES = 16_384;

  private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);

  private final Connection connection;
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;

  WalCheckpoints(Connection connection, Duration every) {
    this.connection = connection;
    this.every = every;
    this.thread = Thread.ofPlatform().name("store-checkpoint").daemon(true).unstarted(this::run);
    this.thread.start();
  }

  private void run() {
    long failures = 0;
    while (running) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        break;
      }
      try (Statement st = connection.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        failures = 0;
      } catch (SQLException e) {
        // The writer's fallback threshold keeps the log bounded meanwhile; say so, not every time.
        if (failures++ % 600 == 0) {
          log.warn("WAL checkpoint failed; the writer checkpoints by itself meanwhile", e);
        }
      }
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the checkpoint connection failed", e);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
