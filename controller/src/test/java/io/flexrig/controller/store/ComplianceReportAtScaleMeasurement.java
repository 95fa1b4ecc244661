package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.controller.compliance.ComplianceReport;
import io.flexrig.controller.compliance.ComplianceReports;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventState;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.testkit.SuiteFigures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-off measurement, not part of the build: how long one compliance report takes on SQLite for
 * a site of 1,000 rigs with ten like days (14 calendar days, weekdays only) of 1-minute rollups,
 * 14.4 million rows, raw telemetry gone. Run it with
 *
 * <pre>
 * mvn -o -q -pl controller -am verify -Dtest=ComplianceReportAtScaleMeasurement \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dflexrig.measure.compliance=true
 * </pre>
 *
 * and read the "suite figure" lines it prints.
 */
@Tag("integration")
@EnabledIfSystemProperty(named = "flexrig.measure.compliance", matches = "true")
class ComplianceReportAtScaleMeasurement {

  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  private static final int RIGS = 1000;

  @TempDir Path dir;

  @Test
  void reportOverAThousandRigsAndTenLikeDaysOfRollups() throws Exception {
    try (ControllerStore store = ControllerStore.open(Database.sqliteUrl(dir.resolve("big.db")))) {
      List<CompletableFuture<Void>> saved = new ArrayList<>();
      for (int i = 0; i < RIGS; i++) {
        saved.add(store.saveRig(rig("rig-" + i), START.minus(Duration.ofDays(60))));
      }
      CompletableFuture.allOf(saved.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long loadStarted = System.nanoTime();
      long rows = 0;
      try (Connection c = DriverManager.getConnection(store.fullUrl())) {
        c.setAutoCommit(false);
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO telemetry_rollups (rig_id, minute_start, sample_count, power_count,"
                    + " power_min_w, power_max_w, power_sum_w, chip_temp_sum_c, hashrate_sum_ths)"
                    + " VALUES (?, ?, 6, 6, ?, ?, ?, 420, 600)")) {
          for (int back = 1; back <= 14; back++) {
            Instant day = START.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(back));
            DayOfWeek dow = day.atZone(ZoneOffset.UTC).getDayOfWeek();
            if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
              continue;
            }
            for (int rig = 0; rig < RIGS; rig++) {
              String rigId = "rig-" + rig;
              for (int minute = 0; minute < 1440; minute++) {
                double w = 3000 + (rig % 7) * 10 + back;
                ps.setString(1, rigId);
                ps.setLong(2, day.toEpochMilli() + minute * 60_000L);
                ps.setDouble(3, w);
                ps.setDouble(4, w);
                ps.setDouble(5, 6 * w);
                ps.addBatch();
                rows++;
              }
              ps.executeBatch();
            }
            c.commit();
          }
        }
      }
      // Today: raw samples every 10 s from an hour before the event until now, rolled up by the
      // real job but for the last minute, as on a running controller.
      Instant now = START.plus(Duration.ofHours(2));
      Instant rawFrom = START.minus(Duration.ofHours(1));
      TelemetryRollups job =
          new TelemetryRollups(store, TelemetryRetention.DEFAULT, Clock.fixed(now, ZoneOffset.UTC));
      long raw = insertRaw(store, rawFrom, now.minusSeconds(60), 1);
      job.rollUp().get(10, TimeUnit.MINUTES);
      raw += insertRaw(store, now.minusSeconds(60), now, raw / RIGS + 1);
      SuiteFigures.record(getClass(), "rollup rows loaded", rows);
      SuiteFigures.record(getClass(), "raw samples today", raw);
      SuiteFigures.record(
          getClass(), "load time s", (System.nanoTime() - loadStarted) / 1_000_000_000.0);

      CurtailmentEvent event =
          new CurtailmentEvent(
              "ev",
              "site-1",
              "req-ev",
              new EventTarget.ReduceBy(500),
              START,
              Duration.ofMinutes(10),
              START.plus(Duration.ofHours(3)),
              "test",
              EventState.ACTIVE,
              START.minus(Duration.ofHours(1)),
              Optional.of(3000.0),
              Optional.of(2500.0),
              Optional.empty(),
              false,
              Optional.empty());
      store.save(event).get(5, TimeUnit.SECONDS);
      ComplianceReports reports =
          new ComplianceReports(
              store.complianceRecords(), store, Clock.fixed(now, ZoneOffset.UTC), ZoneOffset.UTC);
      for (int run = 1; run <= 3; run++) {
        long t0 = System.nanoTime();
        ComplianceReport r = reports.report(event);
        double ms = (System.nanoTime() - t0) / 1e6;
        SuiteFigures.record(getClass(), "report ms (run " + run + ", 2 h event)", ms);
        assertThat(r.likeDaysUsed()).isEqualTo(10);
        assertThat(r.intervals()).hasSize(8);
      }
    }
  }

  /** Raw samples of every rig every 10 s in [from, to), sequences from {@code firstSeq}. */
  private static long insertRaw(ControllerStore store, Instant from, Instant to, long firstSeq)
      throws Exception {
    long n = 0;
    try (Connection c = DriverManager.getConnection(store.fullUrl())) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO telemetry (rig_id, sequence, sampled_at, received_at, power_w,"
                  + " power_quality, hashrate_ths, chip_temp_max_c, grid_frequency_hz, state,"
                  + " power_target_w) VALUES (?, ?, ?, ?, ?, 'GOOD', 100, 70, 60, 'RUNNING', 0)")) {
        for (int rig = 0; rig < RIGS; rig++) {
          long seq = firstSeq;
          for (Instant t = from; t.isBefore(to); t = t.plusSeconds(10)) {
            ps.setString(1, "rig-" + rig);
            ps.setLong(2, seq++);
            ps.setLong(3, t.toEpochMilli());
            ps.setLong(4, t.toEpochMilli());
            ps.setDouble(5, 2900 + rig % 5);
            ps.addBatch();
            n++;
          }
          ps.executeBatch();
        }
      }
      c.commit();
    }
    return n;
  }

  private static RigRegistration rig(String rigId) {
    return new RigRegistration(
        rigId,
        "site-1",
        "antminer-s19j-pro",
        "0.1.0",
        List.of(),
        new RigNameplate(3100, 100, 29.5, 20, 100));
  }
}
