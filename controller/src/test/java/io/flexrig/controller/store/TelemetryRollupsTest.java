package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.controller.MutableClock;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** 1-minute rollups and retention, on SQLite and on a real PostgreSQL server. */
@Tag("integration")
class TelemetryRollupsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final TelemetryRetention KEEP_2H_RAW_3D_ROLLUPS =
      new TelemetryRetention(
          Duration.ofHours(2), Duration.ofDays(3), Duration.ofSeconds(30), Duration.ZERO, 7);

  @TempDir Path dir;

  /** Sample {@code seq} of a rig, taken {@code offsetS} seconds after T0. */
  private static RigSample sample(long seq, long offsetS, double powerW, String quality) {
    return new RigSample(
        seq,
        T0.plusSeconds(offsetS),
        powerW,
        !quality.equals("BAD"),
        quality,
        100 + seq,
        70,
        60,
        RigActivity.RUNNING,
        3000,
        T0.plusSeconds(offsetS));
  }

  private static RigRegistration rig(String id) {
    return new RigRegistration(
        id,
        "site-1",
        "antminer-s19j-pro",
        "0.1.0",
        List.of(),
        new RigNameplate(3050, 104, 29.5, 20, 100));
  }

  private static void save(ControllerStore store, String rig, RigSample... samples)
      throws Exception {
    store.saveTelemetry(rig, List.of(samples)).get(5, TimeUnit.SECONDS);
  }

  private static TelemetryRollups.Run run(TelemetryRollups job) throws Exception {
    return job.runOnce().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void minutesAreRolledUpOnceAndLateSamplesJoinTheirMinute(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    MutableClock clock = new MutableClock(T0.plusSeconds(180));
    try (ControllerStore store = ControllerStore.open(url)) {
      store.saveRig(rig("rig-1"), T0).get(5, TimeUnit.SECONDS);
      // Minute 0: 3000, 3100 and a BAD reading that must not count as power; minute 1: 2000.
      save(
          store,
          "rig-1",
          sample(1, 10, 3000, "GOOD"),
          sample(2, 20, 3100, "UNCERTAIN"),
          sample(3, 30, 0, "BAD"),
          sample(4, 70, 2000, "GOOD"));
      TelemetryRollups job = new TelemetryRollups(store, KEEP_2H_RAW_3D_ROLLUPS, clock);

      assertThat(run(job).minutesUpdated()).isEqualTo(2); // two minute rows written
      List<TelemetryRollup> first = store.rollups("rig-1", T0, T0.plusSeconds(600));
      assertThat(first).hasSize(2);
      TelemetryRollup m0 = first.get(0);
      assertThat(m0.minuteStart()).isEqualTo(T0);
      assertThat(m0.sampleCount()).isEqualTo(3);
      assertThat(m0.powerMinW().getAsDouble()).isEqualTo(3000);
      assertThat(m0.powerMaxW().getAsDouble()).isEqualTo(3100);
      assertThat(m0.powerAvgW().getAsDouble()).isCloseTo(3050, within(1e-9));
      assertThat(m0.chipTempAvgC()).isCloseTo(70, within(1e-9));
      assertThat(m0.hashrateAvgThs()).isCloseTo(102, within(1e-9)); // 101, 102, 103
      assertThat(first.get(1).sampleCount()).isEqualTo(1);
      assertThat(first.get(1).powerAvgW().getAsDouble()).isEqualTo(2000);

      // Nothing new: a second run changes nothing.
      assertThat(run(job).minutesUpdated()).isZero();
      assertThat(store.rollups("rig-1", T0, T0.plusSeconds(600))).isEqualTo(first);

      // A late sample of minute 0 (an agent replaying its outbox) and a resent one.
      save(store, "rig-1", sample(4, 70, 2000, "GOOD"), sample(5, 40, 2500, "GOOD"));
      run(job);
      TelemetryRollup merged = store.rollups("rig-1", T0, T0.plusSeconds(60)).get(0);
      assertThat(merged.sampleCount()).isEqualTo(4);
      assertThat(merged.powerMinW().getAsDouble()).isEqualTo(2500);
      assertThat(merged.powerAvgW().getAsDouble())
          .isCloseTo((3000 + 3100 + 2500) / 3.0, within(1e-9));
      assertThat(store.rollups("rig-1", T0, T0.plusSeconds(600)).get(1).sampleCount()).isEqualTo(1);
    }
    // A restart (new store, new job) finds nothing left to roll up: exactly once.
    try (ControllerStore store = ControllerStore.open(url)) {
      TelemetryRollups job = new TelemetryRollups(store, KEEP_2H_RAW_3D_ROLLUPS, clock);
      assertThat(run(job).minutesUpdated()).isZero();
      assertThat(store.rollups("rig-1", T0, T0.plusSeconds(60)).get(0).sampleCount()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFleetLargerThanOneChunkIsRolledUpCompletelyAndExactlyOnceInShortSteps(TestDatabase db)
      throws Exception {
    String url = db.newDatabaseUrl(dir);
    // More rigs than one chunk holds, and one rig with more samples than one step takes.
    int rigs = TelemetryRollups.RIGS_PER_CHUNK + 3;
    int deep = 2 * TelemetryRollups.SEQUENCES_PER_STEP + 5;
    try (ControllerStore store = ControllerStore.open(url)) {
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int r = 0; r < rigs; r++) {
        String id = String.format(Locale.ROOT, "rig-%03d", r);
        writes.add(store.saveRig(rig(id), T0));
        int n = r == 7 ? deep : 3;
        List<RigSample> samples = new ArrayList<>();
        for (int q = 1; q <= n; q++) {
          samples.add(sample(q, q % 120, 1000, "GOOD")); // two minutes, interleaved
        }
        writes.add(store.saveTelemetry(id, samples));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      TelemetryRollups job =
          new TelemetryRollups(store, KEEP_2H_RAW_3D_ROLLUPS, new MutableClock(T0));

      assertThat(run(job).minutesUpdated()).isGreaterThanOrEqualTo(rigs);
      assertThat(run(job).minutesUpdated()).isZero(); // nothing new, nothing merged twice
      for (int r = 0; r < rigs; r++) {
        String id = String.format(Locale.ROOT, "rig-%03d", r);
        long count =
            store.rollups(id, T0, T0.plusSeconds(600)).stream()
                .mapToLong(TelemetryRollup::sampleCount)
                .sum();
        assertThat(count).as(id).isEqualTo(r == 7 ? deep : 3);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void retentionDeletesOldSamplesAndRollupsInBatchesButNothingNotYetRolledUp(TestDatabase db)
      throws Exception {
    String url = db.newDatabaseUrl(dir);
    MutableClock clock = new MutableClock(T0);
    try (ControllerStore store = ControllerStore.open(url)) {
      store.saveRig(rig("rig-1"), T0).get(5, TimeUnit.SECONDS);
      // 20 samples of rig-1 in the first 20 minutes, one a minute.
      List<RigSample> old = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        old.add(sample(i, 60L * (i - 1), 3000, "GOOD"));
      }
      store.saveTelemetry("rig-1", old).get(5, TimeUnit.SECONDS);
      TelemetryRollups job = new TelemetryRollups(store, KEEP_2H_RAW_3D_ROLLUPS, clock);
      run(job);

      // Two hours and ten minutes later: the first ten minutes of raw samples are out of window.
      clock.advance(Duration.ofMinutes(130));
      TelemetryRollups.Run r = run(job);
      assertThat(r.rawDeleted()).isEqualTo(10); // 7 + 3: two bounded batches
      assertThat(store.telemetryCount("rig-1")).isEqualTo(10);
      assertThat(store.rollups("rig-1", T0, T0.plusSeconds(3600))).hasSize(20);

      // Three days later every rollup is out of window too.
      clock.advance(Duration.ofDays(3));
      r = run(job);
      assertThat(r.rawDeleted()).isEqualTo(10);
      assertThat(r.rollupsDeleted()).isEqualTo(20);
      assertThat(store.rollups("rig-1", T0, T0.plus(Duration.ofDays(10)))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void samplesNotYetRolledUpAreKeptWhateverTheirAge(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      store.saveRig(rig("rig-1"), T0).get(5, TimeUnit.SECONDS);
      TelemetryRollups job =
          new TelemetryRollups(
              store, KEEP_2H_RAW_3D_ROLLUPS, new MutableClock(T0.plus(Duration.ofDays(1))));
      run(job);
      save(store, "rig-1", sample(1, 0, 3000, "GOOD")); // a day old, arrived after the rollup

      assertThat(job.retain().get(5, TimeUnit.SECONDS).rawDeleted()).isZero();
      assertThat(store.telemetryCount("rig-1")).isEqualTo(1);

      run(job);
      assertThat(store.rollups("rig-1", T0, T0.plusSeconds(60))).hasSize(1);
      assertThat(store.telemetryCount("rig-1")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theSchemaHasTheRollupTablesAndView(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    try (ControllerStore store = ControllerStore.open(url)) {
      assertThat(store.rollups("nobody", T0, T0.plusSeconds(60))).isEmpty();
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT version FROM flyway_schema_history ORDER BY installed_rank")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
      assertThat(versions).contains("3");
    }
  }
}
