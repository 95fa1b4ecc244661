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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void theSameSampleStoredTwiceIsKeptOnce() throws Exception {
    try (ControllerStore store = ControllerStore.open(dir.resolve("c.db"))) {
      await(store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010))));
      await(
          store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010), sample(3, 2990))));

      assertThat(store.telemetryCount("rig-1")).isEqualTo(3);
    }
  }

  @Test
  void rigsAndTheirStoredSequenceAreLoadedAfterReopening() throws Exception {
    Path file = dir.resolve("c.db");
    try (ControllerStore store = ControllerStore.open(file)) {
      await(store.saveRig(rig(), T0));
      await(store.saveTelemetry("rig-1", List.of(sample(1, 3000), sample(2, 3010))));
    }
    try (ControllerStore store = ControllerStore.open(file)) {
      List<StoredRig> rigs = store.loadRigs();

      assertThat(rigs).containsExactly(new StoredRig(rig(), 2));
    }
  }

  @Test
  void eventsSurviveReopeningAndOnlyUnfinishedOnesAreResumed() throws Exception {
    Path file = dir.resolve("c.db");
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
    try (ControllerStore store = ControllerStore.open(file)) {
      await(store.save(scheduled));
      await(store.save(active));
      await(store.save(event("ev-2", "req-2", EventState.COMPLETED)));
    }
    try (ControllerStore store = ControllerStore.open(file)) {
      assertThat(store.unfinished()).containsExactly(active);
      assertThat(store.findByRequestId("req-2").orElseThrow().state())
          .isEqualTo(EventState.COMPLETED);
      assertThat(store.list("site-1", 10)).hasSize(2);
      assertThat(store.find("missing")).isEmpty();
    }
  }

  @Test
  void aRepeatedRequestIdIsRefusedByTheSchema() throws Exception {
    try (ControllerStore store = ControllerStore.open(dir.resolve("c.db"))) {
      await(store.save(event("ev-1", "req-1", EventState.SCHEDULED)));

      assertThatThrownBy(() -> await(store.save(event("ev-2", "req-1", EventState.SCHEDULED))))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SQLException.class);
      assertThat(store.list("site-1", 10)).hasSize(1);
    }
  }

  @Test
  void commandAcksAndResultsLandOnTheIssuedCommand() throws Exception {
    Path file = dir.resolve("c.db");
    try (ControllerStore store = ControllerStore.open(file)) {
      await(
          store.commandIssued(
              new RigCommand(
                  "cmd-1",
                  "ev-1",
                  "rig-1",
                  T0,
                  T0.plusSeconds(10),
                  T0.plusSeconds(60),
                  RigCommand.Action.SET_POWER_TARGET,
                  2200)));
      await(store.saveCommandAck(new CommandAckRow("cmd-1", true, "", false, 2200, T0)));
      await(
          store.saveCommandResult(
              new CommandResultRow("cmd-1", "COMMAND_OUTCOME_ACHIEVED", 2190, 2200, T0, "pt")));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT accepted, applied_power_w, result_outcome FROM dispatch_commands")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getDouble(2)).isEqualTo(2200);
      assertThat(rs.getString(3)).isEqualTo("COMMAND_OUTCOME_ACHIEVED");
    }
  }

  @Test
  void aResentAlarmIsStoredOnce() throws Exception {
    Path file = dir.resolve("c.db");
    AlarmRow alarm = new AlarmRow("al-1", "rig-1", "WARNING", "CLAMPED", "clamped", T0, T0);
    try (ControllerStore store = ControllerStore.open(file)) {
      await(store.saveAlarm(alarm));
      await(store.saveAlarm(alarm));
    }
    assertThat(count(file, "SELECT COUNT(*) FROM alarms")).isEqualTo(1);
  }

  @Test
  void aFailingWriteDoesNotFailTheWritesBatchedWithIt() throws Exception {
    try (ControllerStore store = ControllerStore.open(dir.resolve("c.db"))) {
      // Hold the writer so the next two writes land in the same batch.
      CompletableFuture<Void> hold = store.writer().submit("hold", s -> sleep(200));
      CompletableFuture<Void> bad =
          store.writer().submit("bad", s -> s.get("INSERT INTO no_such_table VALUES (1)"));
      CompletableFuture<Void> good = store.saveTelemetry("rig-1", List.of(sample(1, 3000)));

      await(hold);
      await(good);
      assertThat(bad).isCompletedExceptionally();
      assertThat(store.telemetryCount("rig-1")).isEqualTo(1);
    }
  }

  @Test
  void migrationsAreAppliedOnceAndRecorded() throws Exception {
    Path file = dir.resolve("c.db");
    ControllerStore.open(file).close();
    ControllerStore.open(file).close();

    assertThat(count(file, "SELECT COUNT(*) FROM flexrig_schema_version")).isEqualTo(1);
    assertThat(count(file, "SELECT MAX(version) FROM flexrig_schema_version")).isEqualTo(1);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void everyMigrationFileIsListedInOrder() throws IOException {
    Path folder = Path.of("src/main/resources/db/migration");
    try (Stream<Path> files = Files.list(folder)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted(
                  (a, b) ->
                      Integer.compare(
                          Integer.parseInt(a.substring(1, a.indexOf("__"))),
                          Integer.parseInt(b.substring(1, b.indexOf("__")))))
              .toList();
      assertThat(Migrations.FILES).isEqualTo(names);
    }
  }

  private static long count(Path file, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
