package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.controller.compliance.ComplianceReport;
import io.flexrig.controller.compliance.ComplianceReports;
import io.flexrig.controller.compliance.LoadHistory;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventState;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Site load read from 1-minute rollups equals the load read from raw samples, so compliance
 * baselines survive raw-telemetry retention; on SQLite and on a real PostgreSQL server.
 */
@Tag("integration")
class LoadHistoryAfterRetentionTest {

  /** A Wednesday, 10:00 UTC: the event starts here; its like days are the weekdays before. */
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

  private static final long Q = LoadHistory.QUARTER_HOUR_MS;

  @TempDir Path dir;

  private static RigRegistration rig(String id) {
    return new RigRegistration(
        id,
        "site-1",
        "antminer-s19j-pro",
        "0.1.0",
        List.of(),
        new RigNameplate(4000, 100, 29.5, 20, 100));
  }

  /** Samples per rig with increasing sequence numbers, and the raw truth computed from them. */
  private static final class History {
    final Map<String, List<RigSample>> byRig = new LinkedHashMap<>();
    final Map<String, Integer> stored = new HashMap<>();

    void add(String rigId, Instant at, double w, String quality) {
      List<RigSample> list = byRig.computeIfAbsent(rigId, k -> new ArrayList<>());
      list.add(
          new RigSample(
              list.size() + 1,
              at,
              w,
              !quality.equals("BAD"),
              quality,
              100,
              70,
              60,
              RigActivity.RUNNING,
              0,
              at));
    }

    /** Stores the samples not stored yet. */
    void store(ControllerStore store) throws Exception {
      for (var e : byRig.entrySet()) {
        int from = stored.getOrDefault(e.getKey(), 0);
        List<RigSample> fresh = e.getValue().subList(from, e.getValue().size());
        if (!fresh.isEmpty()) {
          store.saveTelemetry(e.getKey(), List.copyOf(fresh)).get(30, TimeUnit.SECONDS);
        }
        stored.put(e.getKey(), e.getValue().size());
      }
    }

    /** Per quarter hour in [from, to): the sum over rigs of each rig's average usable power. */
    Map<Instant, Double> siteLoad(Instant from, Instant to) {
      Map<Instant, Double> out = new TreeMap<>();
      for (List<RigSample> samples : byRig.values()) {
        Map<Long, double[]> perSlot = new TreeMap<>();
        for (RigSample s : samples) {
          if (s.powerUsable() && !s.sampledAt().isBefore(from) && s.sampledAt().isBefore(to)) {
            double[] sumCount =
                perSlot.computeIfAbsent(s.sampledAt().toEpochMilli() / Q, k -> new double[2]);
            sumCount[0] += s.powerW();
            sumCount[1]++;
          }
        }
        perSlot.forEach(
            (slot, sc) -> out.merge(Instant.ofEpochMilli(slot * Q), sc[0] / sc[1], Double::sum));
      }
      return out;
    }
  }

  /**
   * Sixteen days before the event (ten like days and more) of three rigs with gaps: rig-1 every
   * minute with a BAD reading now and then, silent for 50 minutes every afternoon and for half an
   * hour inside the event's window every other day; rig-2 at irregular intervals of 15 to 180 s,
   * its load different every day; rig-3 every two minutes, only in the mornings.
   */
  private static History history(Instant until) {
    History h = new History();
    Random random = new Random(7);
    Instant from = START.minus(Duration.ofDays(16));
    for (Instant t = from; t.isBefore(until); t = t.plusSeconds(60)) {
      long secondOfDay = Math.floorMod(t.getEpochSecond(), 86_400);
      long day = Duration.between(from, t).toDays();
      if ((secondOfDay >= 14 * 3600 && secondOfDay < 14 * 3600 + 50 * 60)
          || (day % 2 == 1 && secondOfDay >= 10 * 3600 + 20 * 60 && secondOfDay < 11 * 3600)) {
        continue; // rig-1 is silent
      }
      boolean bad = random.nextInt(17) == 0;
      h.add("rig-1", t, bad ? 0 : 3000 + random.nextInt(400), bad ? "BAD" : "GOOD");
    }
    for (Instant t = from.plusSeconds(3);
        t.isBefore(until);
        t = t.plusSeconds(15 + random.nextInt(166))) {
      long day = Duration.between(from, t).toDays();
      h.add("rig-2", t, 2000 + 100 * day + random.nextInt(300), "UNCERTAIN");
    }
    for (Instant t = from.plusSeconds(11); t.isBefore(until); t = t.plusSeconds(120)) {
      if (Math.floorMod(t.getEpochSecond(), 86_400) < 12 * 3600) {
        h.add("rig-3", t, 1000 + random.nextInt(50), "GOOD");
      }
    }
    return h;
  }

  private static long rawRowsBefore(ControllerStore store, Instant before) throws Exception {
    try (Connection c = DriverManager.getConnection(store.fullUrl());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM telemetry WHERE sampled_at < " + before.toEpochMilli())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertSameLoad(Map<Instant, Double> actual, Map<Instant, Double> expected) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach(
        (slot, w) -> assertThat(actual.get(slot)).as(slot.toString()).isCloseTo(w, within(1e-6)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void quarterHourLoadFromRollupsEqualsTheLoadFromRawSamples(TestDatabase db) throws Exception {
    Instant now = START.plus(Duration.ofHours(2));
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    History h = history(now.minus(Duration.ofMinutes(20)));
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      for (String id : List.of("rig-1", "rig-2", "rig-3")) {
        store.saveRig(rig(id), START.minus(Duration.ofDays(30))).get(5, TimeUnit.SECONDS);
      }
      h.store(store);
      ComplianceRecords records = store.complianceRecords();
      TelemetryRollups job = new TelemetryRollups(store, TelemetryRetention.DEFAULT, clock);
      // Windows with edges inside a minute, a day's window, and the recent past.
      Instant oddFrom = START.minus(Duration.ofDays(5)).plusSeconds(437);
      Instant oddTo = oddFrom.plus(Duration.ofHours(3)).plusSeconds(29);
      Instant dayFrom = START.minus(Duration.ofDays(9));
      Instant recentFrom = now.minus(Duration.ofHours(3)).plusSeconds(17);

      job.rollUp().get(60, TimeUnit.SECONDS);
      // Samples that arrive after the rollup: the newest minutes and a late one in an old minute.
      for (Instant t = now.minus(Duration.ofMinutes(20)); t.isBefore(now); t = t.plusSeconds(10)) {
        h.add("rig-2", t, 2500, "GOOD");
      }
      h.add("rig-1", oddFrom.plusSeconds(3 * 60 + 1), 9000, "GOOD");
      h.store(store);

      assertSameLoad(
          records.siteLoadByQuarterHour("site-1", oddFrom, oddTo), h.siteLoad(oddFrom, oddTo));
      assertSameLoad(
          records.siteLoadByQuarterHour("site-1", dayFrom, dayFrom.plus(Duration.ofDays(1))),
          h.siteLoad(dayFrom, dayFrom.plus(Duration.ofDays(1))));
      assertSameLoad(
          records.siteLoadByQuarterHour("site-1", recentFrom, now), h.siteLoad(recentFrom, now));
      Map<String, Double> rigs = records.rigAverageW("site-1", recentFrom, now);
      assertThat(rigs).containsOnlyKeys("rig-1", "rig-2", "rig-3");

      // Retention deletes raw samples older than 48 h; the answers do not change.
      job.runOnce().get(120, TimeUnit.SECONDS);
      assertThat(rawRowsBefore(store, now.minus(Duration.ofHours(48)))).isZero();
      assertSameLoad(
          records.siteLoadByQuarterHour("site-1", dayFrom, dayFrom.plus(Duration.ofDays(1))),
          h.siteLoad(dayFrom, dayFrom.plus(Duration.ofDays(1))));
      Instant alignedFrom = START.minus(Duration.ofDays(5));
      assertSameLoad(
          records.siteLoadByQuarterHour(
              "site-1", alignedFrom, alignedFrom.plus(Duration.ofMinutes(195))),
          h.siteLoad(alignedFrom, alignedFrom.plus(Duration.ofMinutes(195))));
      assertSameLoad(
          records.siteLoadByQuarterHour("site-1", recentFrom, now), h.siteLoad(recentFrom, now));
      assertThat(records.rigAverageW("site-1", recentFrom, now)).isEqualTo(rigs);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void likeDayBaselineOfAnEventTodayIsTheSameAfterRetentionDeletedTheRawSamples(TestDatabase db)
      throws Exception {
    Instant now = START.plus(Duration.ofMinutes(40));
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    History h = history(now);
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      for (String id : List.of("rig-1", "rig-2", "rig-3")) {
        store.saveRig(rig(id), START.minus(Duration.ofDays(30))).get(5, TimeUnit.SECONDS);
      }
      h.store(store);
      CurtailmentEvent event =
          new CurtailmentEvent(
              "ev",
              "site-1",
              "req-ev",
              new EventTarget.ReduceBy(2),
              START,
              Duration.ofMinutes(10),
              START.plus(Duration.ofHours(1)),
              "test",
              EventState.ACTIVE,
              START.minus(Duration.ofHours(1)),
              Optional.of(7.0),
              Optional.of(5.0),
              Optional.empty(),
              false,
              Optional.empty());
      store.save(event).get(5, TimeUnit.SECONDS);
      ComplianceReports reports =
          new ComplianceReports(store.complianceRecords(), store, clock, ZoneOffset.UTC);
      ComplianceReport fromRaw = reports.report(event); // nothing rolled up yet: all raw

      new TelemetryRollups(store, TelemetryRetention.DEFAULT, clock)
          .runOnce()
          .get(120, TimeUnit.SECONDS);
      assertThat(rawRowsBefore(store, now.minus(Duration.ofHours(48)))).isZero();
      ComplianceReport afterRetention = reports.report(event);

      assertThat(fromRaw.likeDaysUsed()).isEqualTo(10);
      assertThat(afterRetention.likeDaysUsed()).isEqualTo(10);
      assertThat(afterRetention.intervals()).hasSize(fromRaw.intervals().size());
      for (int i = 0; i < fromRaw.intervals().size(); i++) {
        ComplianceReport.Interval raw = fromRaw.intervals().get(i);
        ComplianceReport.Interval rolled = afterRetention.intervals().get(i);
        assertThat(raw.likeDaysKw()).isGreaterThan(5);
        assertThat(rolled.likeDaysKw()).isCloseTo(raw.likeDaysKw(), within(1e-9));
        assertThat(rolled.measuredKw()).isCloseTo(raw.measuredKw(), within(1e-9));
      }
      assertThat(afterRetention.preEventKw()).isCloseTo(fromRaw.preEventKw(), within(1e-9));
      assertThat(afterRetention.deltaKw()).isCloseTo(fromRaw.deltaKw(), within(1e-9));
    }
  }
}
