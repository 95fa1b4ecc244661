package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's two lanes on a small SQLite table, with queues small enough to fill. */
class StoreWriterTest {

  @TempDir Path dir;

  private static final StoreWriter.RowTable<long[]> PAIRS =
      new StoreWriter.RowTable<>() {
        @Override
        public String head() {
          return "INSERT INTO pairs (k, v) VALUES";
        }

        @Override
        public int columns() {
          return 2;
        }

        @Override
        public String tail() {
          return "ON CONFLICT (k) DO NOTHING";
        }

        @Override
        public void bind(PreparedStatement ps, int offset, long[] row) throws SQLException {
          ps.setLong(offset + 1, row[0]);
          ps.setLong(offset + 2, row[1]);
        }
      };

  private Connection open(String url) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS pairs (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
    }
    return c;
  }

  @Test
  void aFullTelemetryLaneRefusesOnlyTelemetryAndControlWritesStillGoThrough() throws Exception {
    String url = Database.sqliteUrl(dir.resolve("w.db"));
    CountDownLatch release = new CountDownLatch(1);
    try (StoreWriter writer = new StoreWriter(open(url), 4, 3, 100, null)) {
      CompletableFuture<Void> hold = writer.submit("hold", s -> await(release));
      List<CompletableFuture<Void>> bulk = new ArrayList<>();
      for (long k = 1; k <= 3; k++) {
        bulk.add(writer.submitRows("row " + k, PAIRS, List.of(new long[] {k, k * 10})));
      }
      // Wait until the writer has taken the hold task (the lanes are then exactly as queued).
      waitUntil(() -> writer.backlog() == 3);
      CompletableFuture<Void> refused =
          writer.submitRows("row 4", PAIRS, List.of(new long[] {4, 40}));
      CompletableFuture<Void> control =
          writer.submit(
              "control", s -> s.get("INSERT INTO pairs (k, v) VALUES (100, 1)").executeUpdate());

      assertThat(refused).isCompletedExceptionally();
      assertThat(refused.exceptionNow()).isInstanceOf(StoreWriter.LaneFull.class);
      assertThat(control).isNotDone();
      release.countDown();
      hold.get(5, TimeUnit.SECONDS);
      control.get(5, TimeUnit.SECONDS);
      for (CompletableFuture<Void> f : bulk) {
        f.get(5, TimeUnit.SECONDS);
      }
    }
    assertThat(count(url, "SELECT COUNT(*) FROM pairs")).isEqualTo(4);
    assertThat(count(url, "SELECT SUM(v) FROM pairs WHERE k <= 3")).isEqualTo(60);
  }

  @Test
  void aBadRowFailsOnlyItsOwnTaskNotTheRowsMergedWithIt() throws Exception {
    String url = Database.sqliteUrl(dir.resolve("w.db"));
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> good1;
    CompletableFuture<Void> bad;
    CompletableFuture<Void> good2;
    try (StoreWriter writer = new StoreWriter(open(url), 4, 16, 100, null)) {
      CompletableFuture<Void> hold = writer.submit("hold", s -> await(release));
      good1 = writer.submitRows("good 1", PAIRS, List.of(new long[] {1, 1}, new long[] {2, 2}));
      bad =
          writer.submitBulk(
              "bad", s -> s.get("INSERT INTO no_such_table VALUES (1)").executeUpdate());
      good2 = writer.submitRows("good 2", PAIRS, List.of(new long[] {2, 2}, new long[] {3, 3}));
      release.countDown();
      hold.get(5, TimeUnit.SECONDS);
      good1.get(5, TimeUnit.SECONDS);
      good2.get(5, TimeUnit.SECONDS);
      assertThat(bad).isCompletedExceptionally();
    }
    assertThat(count(url, "SELECT COUNT(*) FROM pairs")).isEqualTo(3);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
