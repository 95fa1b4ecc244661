package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventState;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same suite on SQLite and on a real PostgreSQL server. */
@Tag("integration")
class ControllerStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir Path dir;

  private static RigSample sample(long seq, double powerW) {
    return new RigSample(
        seq,
        T0.plusSeconds(seq),
        powerW,
        true,
        "GOOD",
        100,
        71.5,
        60.01,
        RigActivity.RUNNING,
        3000,
        T0.plusSeconds(seq));
  }

  private static RigRegistration rig() {
    return new RigRegistration(
        "rig-1",
        "site-1",
        "antminer-s19j-pro",
        "0.1.0",
        List.of(
            new RigCapability(CurtailmentMethodKind.POWER_TARGET, 2000, 3300, 1.5),
            new RigCapability(CurtailmentMethodKind.SLEEP, 20, 20, 3)),
        new RigNameplate(3050, 104, 29.5, 20, 100));
  }

  private static CurtailmentEvent event(String id, String requestId, EventState state) {
    return new CurtailmentEvent(
        id,
        "site-1",
        requestId,
        new EventTarget.ReduceBy(250),
        T0.plusSeconds(60),
        Duration.ofMinutes(10),
        T0.plusSeconds(3600),
        "ERCOT ERS",
        state,
        T0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty());
  }

  private static void await(CompletableFuture<Void> f) throws Exception {
    f.get(5, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theSameSampleStoredTwiceIsKeptOnce(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      await(store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010))));
      await(
          store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010), sample(3, 2990))));

      assertThat(store.telemetryCount("rig-1")).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void overlappingBatchesInOneTransactionStoreEachSampleExactlyOnce(TestDatabase db)
      throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      CompletableFuture<Void> hold = store.writer().submit("hold", s -> sleep(200));
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int resend = 0; resend < 3; resend++) {
        for (long first = 1; first <= 91; first += 10) {
          List<RigSample> batch = new ArrayList<>();
          for (long seq = first; seq < first + 10; seq++) {
            batch.add(sample(seq, 3000 + seq));
          }
          writes.add(store.saveTelemetry("rig-1", batch));
        }
      }
      await(hold);
      for (CompletableFuture<Void> w : writes) {
        await(w);
      }

      assertThat(store.telemetryCount("rig-1")).isEqualTo(100);
      assertThat(
              count(
                  db,
                  store,
                  "SELECT COUNT(DISTINCT sequence) FROM telemetry WHERE rig_id = 'rig-1'"))
          .isEqualTo(100);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void batchesOfManyRigsMergedIntoMultiRowInsertsKeepEveryValue(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      CompletableFuture<Void> hold = store.writer().submit("hold", s -> sleep(200));
      // 300 + 7 + 1 rows in one transaction: full, power-of-two and single-row statements.
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      int[] sizes = {300, 7, 1};
      for (int r = 0; r < sizes.length; r++) {
        List<RigSample> batch = new ArrayList<>();
        for (long seq = 1; seq <= sizes[r]; seq++) {
          batch.add(sample(seq, 1000 * (r + 1) + seq));
        }
        writes.add(store.saveTelemetry("rig-" + r, batch));
      }
      await(hold);
      for (CompletableFuture<Void> w : writes) {
        await(w);
      }

      assertThat(store.telemetryCount("rig-0")).isEqualTo(300);
      assertThat(store.telemetryCount("rig-1")).isEqualTo(7);
      assertThat(store.telemetryCount("rig-2")).isEqualTo(1);
      assertThat(
              count(
                  db,
                  store,
                  "SELECT COUNT(*) FROM telemetry WHERE rig_id = 'rig-0' AND sequence = 123"
                      + " AND power_w = 1123 AND sampled_at = "
                      + T0.plusSeconds(123).toEpochMilli()
                      + " AND power_quality = 'GOOD' AND hashrate_ths = 100"
                      + " AND chip_temp_max_c = 71.5 AND grid_frequency_hz = 60.01"
                      + " AND state = 'RUNNING' AND power_target_w = 3000"))
          .isEqualTo(1);
      assertThat(
              count(
                  db,
                  store,
                  "SELECT COUNT(*) FROM telemetry WHERE rig_id = 'rig-2' AND power_w = 3001"))
          .isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void controlWritesQueuedBehindTelemetryAreWrittenFirst(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> hold =
          store
              .writer()
              .submit(
                  "hold",
                  s -> {
                    order.add("hold");
                    sleep(200);
                  });
      List<CompletableFuture<Void>> telemetry = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        telemetry.add(store.saveTelemetry("rig-" + i, List.of(sample(1, 3000))));
        String name = "bulk " + i;
        telemetry.add(store.writer().submitBulk(name, s -> order.add(name)));
      }
      CompletableFuture<Void> event = store.save(event("ev-1", "req-1", EventState.SCHEDULED));
      CompletableFuture<Void> marker = store.writer().submit("control", s -> order.add("control"));

      await(hold);
      await(event);
      await(marker);
      for (CompletableFuture<Void> w : telemetry) {
        await(w);
      }

      assertThat(order).hasSize(22);
      assertThat(order.subList(0, 2)).containsExactly("hold", "control");
      assertThat(store.find("ev-1")).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rigsAndTheirStoredSequenceAreLoadedAfterReopening(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    try (ControllerStore store = ControllerStore.open(url)) {
      await(store.saveRig(rig(), T0));
      await(store.saveRig(rig(), T0.plusSeconds(5))); // a second hello updates, not duplicates
      await(store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010))));
    }
    try (ControllerStore store = ControllerStore.open(url)) {
      List<StoredRig> rigs = store.loadRigs();

      assertThat(rigs).containsExactly(new StoredRig(rig(), 2));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void eventsSurviveReopeningAndOnlyUnfinishedOnesAreResumed(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    CurtailmentEvent scheduled = event("ev-1", "req-1", EventState.SCHEDULED);
    CurtailmentEvent active =
        new CurtailmentEvent(
            "ev-1",
            "site-1",
            "req-1",
            scheduled.target(),
            scheduled.startAt(),
            scheduled.responseTime(),
            scheduled.endAt(),
            scheduled.program(),
            EventState.ACTIVE,
            scheduled.createdAt(),
            Optional.of(512.5),
            Optional.of(262.5),
            Optional.of(T0.plusSeconds(120)),
            true,
            Optional.empty());
    try (ControllerStore store = ControllerStore.open(url)) {
      await(store.save(scheduled));
      await(store.save(active));
      await(store.save(event("ev-2", "req-2", EventState.COMPLETED)));
    }
    try (ControllerStore store = ControllerStore.open(url)) {
      assertThat(store.unfinished()).containsExactly(active);
      assertThat(store.findByRequestId("req-2").orElseThrow().state())
          .isEqualTo(EventState.COMPLETED);
      assertThat(store.list("site-1", 10)).hasSize(2);
      assertThat(store.find("missing")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRepeatedRequestIdIsRefusedByTheSchema(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      await(store.save(event("ev-1", "req-1", EventState.SCHEDULED)));

      assertThatThrownBy(() -> await(store.save(event("ev-2", "req-1", EventState.SCHEDULED))))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SQLException.class);
      assertThat(store.list("site-1", 10)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void commandAcksAndResultsLandOnTheIssuedCommandAndInTheAuditLog(TestDatabase db)
      throws Exception {
    String url = db.newDatabaseUrl(dir);
    RigCommand command =
        new RigCommand(
            "cmd-1",
            "ev-1",
            "rig-1",
            T0,
            T0.plusSeconds(10),
            T0.plusSeconds(60),
            RigCommand.Action.SET_POWER_TARGET,
            2200);
    try (ControllerStore store = ControllerStore.open(url)) {
      await(store.commandIssued(command));
      await(store.commandIssued(command)); // resent: one row, one audit line
      await(
          store.saveCommandAck(
              new CommandAckRow("rig-1", "cmd-1", true, "", false, 2200, T0.plusSeconds(1))));
      await(
          store.saveCommandResult(
              new CommandResultRow("cmd-1", "COMMAND_OUTCOME_ACHIEVED", 2190, 2200, T0, "pt")));

      assertThat(store.auditTrail(10))
          .extracting(AuditEntry::actor, AuditEntry::action, AuditEntry::result)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("rig-1", "command ack", "ACCEPTED"),
              org.assertj.core.groups.Tuple.tuple(
                  "controller", "command SET_POWER_TARGET", "ISSUED"));
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT accepted, applied_power_w, result_outcome FROM dispatch_commands")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getDouble(2)).isEqualTo(2200);
      assertThat(rs.getString(3)).isEqualTo("COMMAND_OUTCOME_ACHIEVED");
      assertThat(rs.next()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void auditEntriesSurviveReopeningNewestFirst(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    AuditEntry created =
        new AuditEntry(
            T0, "grid-op", "grid-operator", "CreateCurtailmentEvent", "req-1", "OK", "ev-1");
    AuditEntry refused =
        new AuditEntry(
            T0.plusSeconds(1),
            "monitor-1",
            "monitor",
            "CancelCurtailmentEvent",
            "ev-1",
            "PERMISSION_DENIED",
            "monitor may only read");
    try (ControllerStore store = ControllerStore.open(url)) {
      await(store.record(created));
      await(store.record(refused));
    }
    try (ControllerStore store = ControllerStore.open(url)) {
      assertThat(store.auditTrail(10)).containsExactly(refused, created);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aResentAlarmIsStoredOnce(TestDatabase db) throws Exception {
    AlarmRow alarm = new AlarmRow("al-1", "rig-1", "WARNING", "CLAMPED", "clamped", T0, T0);
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      await(store.saveAlarm(alarm));
      await(store.saveAlarm(alarm));

      assertThat(count(db, store, "SELECT COUNT(*) FROM alarms")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFailingWriteDoesNotFailTheWritesBatchedWithIt(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      // Hold the writer so the next two writes land in the same batch.
      CompletableFuture<Void> hold = store.writer().submit("hold", s -> sleep(200));
      CompletableFuture<Void> bad =
          store
              .writer()
              .submit("bad", s -> s.get("INSERT INTO no_such_table VALUES (1)").executeUpdate());
      CompletableFuture<Void> good = store.saveTelemetry("rig-1", List.of(sample(1, 3000)));

      await(hold);
      await(good);
      assertThat(bad).isCompletedExceptionally();
      assertThat(store.telemetryCount("rig-1")).isEqualTo(1);
    }
  }

  /** The versioned migrations shipped (several helpers add theirs). */
  private static long migrationFiles() throws Exception {
    try (var files =
        Files.list(Path.of(ControllerStoreTest.class.getResource("/db/migration").toURI()))) {
      return files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void migrationsAreAppliedOnceAndRecordedByFlyway(TestDatabase db) throws Exception {
    assertThat(migrationFiles()).isGreaterThanOrEqualTo(3);
    String url = db.newDatabaseUrl(dir);
    ControllerStore.open(url).close();
    ControllerStore.open(url).close();

    try (ControllerStore store = ControllerStore.open(url)) {
      assertThat(
              count(
                  db,
                  store,
                  "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
          .isEqualTo(migrationFiles());
      assertThat(store.database()).isEqualTo(Database.valueOf(db.name()));
    }
  }

  @Test
  void aCutPostgresqlConnectionIsReplacedAndNoWriteOrReadIsLost() throws Exception {
    String url = TestDatabase.POSTGRESQL.newDatabaseUrl(dir);
    try (ControllerStore store = ControllerStore.open(url)) {
      await(store.saveTelemetry("rig-1", List.of(sample(1, 3000))));
      assertThat(store.telemetryCount("rig-1")).isEqualTo(1);

      // What a server restart or a firewall does to a long-lived connection.
      try (Connection admin = DriverManager.getConnection(url);
          Statement st = admin.createStatement()) {
        st.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
      }

      await(store.saveTelemetry("rig-1", List.of(sample(2, 3000))));
      assertThat(store.telemetryCount("rig-1")).isEqualTo(2);
    }
  }

  @Test
  void anSqliteFileRunsInWalModeWithTelemetryInArrivalOrderKeyedByRigAndSequence()
      throws Exception {
    Path file = dir.resolve("c.db");
    ControllerStore.open(file).close();

    try (Connection c = DriverManager.getConnection(Database.sqliteUrl(file));
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet rs =
          st.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'telemetry'")) {
        assertThat(rs.next()).isTrue();
        // A rowid table (rows appended as they arrive, V6) with (rig_id, sequence) as its key.
        assertThat(rs.getString(1))
            .doesNotContain("WITHOUT ROWID")
            .contains("PRIMARY KEY (rig_id, sequence)");
      }
    }
  }

  @Test
  void aDatabaseMadeBeforeFlywayKeepsItsDataAndGetsTheNewTables() throws Exception {
    Path file = dir.resolve("legacy.db");
    String url = Database.sqliteUrl(file);
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      String v1 =
          new String(
              Files.readAllBytes(Path.of("src/main/resources/db/migration/V1__init.sql")),
              java.nio.charset.StandardCharsets.UTF_8);
      String script = v1.replace("${key_only_table}", "WITHOUT ROWID").replaceAll("(?m)^--.*$", "");
      for (String sql : script.split(";")) {
        if (!sql.isBlank()) {
          st.execute(sql);
        }
      }
      st.execute(
          "CREATE TABLE flexrig_schema_version (version INTEGER NOT NULL PRIMARY KEY,"
              + " description TEXT NOT NULL, script TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      st.execute("INSERT INTO flexrig_schema_version VALUES (1, 'init', 'V1__init.sql', 0)");
      st.execute("INSERT INTO sites VALUES ('site-1', 0)");
      // Samples in V1's WITHOUT ROWID table: V6 moves them to the table in arrival order.
      st.execute(
          "INSERT INTO telemetry VALUES ('rig-1', 1, 10, 11, 3000, 'GOOD', 100, 70, 60,"
              + " 'RUNNING', 3000), ('rig-1', 2, 20, 21, 3100, 'GOOD', 100, 70, 60, 'RUNNING',"
              + " 3000)");
    }

    try (ControllerStore store = ControllerStore.open(file)) {
      await(store.record(new AuditEntry(T0, "a", "r", "x", "s", "OK", "")));
      assertThat(count(TestDatabase.SQLITE, store, "SELECT COUNT(*) FROM sites")).isEqualTo(1);
      assertThat(count(TestDatabase.SQLITE, store, "SELECT SUM(sequence * power_w) FROM telemetry"))
          .isEqualTo(3000 + 2 * 3100);
      assertThat(
              count(
                  TestDatabase.SQLITE,
                  store,
                  "SELECT COUNT(*) FROM sqlite_master WHERE name = 'telemetry_by_sampled_at'"))
          .isEqualTo(1);
      assertThat(store.auditTrail(5)).hasSize(1);
    }
  }

  @Test
  void anUnsupportedDatabaseUrlIsRefusedByName() {
    assertThatThrownBy(() -> ControllerStore.open("jdbc:h2:mem:x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:h2:mem:x");
  }

  private static long count(TestDatabase db, ControllerStore store, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(urlOf(store));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String urlOf(ControllerStore store) {
    return store.fullUrl();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
