package io.flexrig.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.compliance.ComplianceCsv;
import io.flexrig.controller.compliance.ComplianceReport;
import io.flexrig.controller.compliance.ComplianceReports;
import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.Setpoint;
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
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dispatch plans, schedules and compliance reports on SQLite and on a real PostgreSQL server. */
@Tag("integration")
class ComplianceRecordsTest {

  /** A Wednesday: its like days are the weekdays before it. */
  private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

  private static final Instant END = START.plus(Duration.ofMinutes(30));

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

  private static CurtailmentEvent event(
      String id, Instant start, EventTarget target, EventState state, boolean started) {
    return new CurtailmentEvent(
        id,
        "site-1",
        "req-" + id,
        target,
        start,
        Duration.ofMinutes(10),
        start.plus(Duration.ofMinutes(30)),
        "test",
        state,
        start.minusSeconds(600),
        started ? Optional.of(6.0) : Optional.empty(),
        started ? Optional.of(3.2) : Optional.empty(),
        started ? Optional.of(start.plus(Duration.ofMinutes(5))) : Optional.empty(),
        started,
        state.finished() ? Optional.of(start.plus(Duration.ofMinutes(30))) : Optional.empty());
  }

  /** Collects samples per rig with increasing sequence numbers. */
  private static final class Samples {
    final Map<String, List<RigSample>> byRig = new LinkedHashMap<>();

    void add(String rigId, Instant at, double w) {
      List<RigSample> list = byRig.computeIfAbsent(rigId, k -> new ArrayList<>());
      list.add(
          new RigSample(
              list.size() + 1, at, w, true, "GOOD", 100, 70, 60, RigActivity.RUNNING, 0, at));
    }

    void store(ControllerStore store) throws Exception {
      for (var e : byRig.entrySet()) {
        store.saveTelemetry(e.getKey(), e.getValue()).get(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Ten like days (the weekdays Nov 10..23) with a site load of j + 1 kW on the j-th most recent,
   * an event day (Nov 24) and a weekend at 50 kW that must not count; one hour before the event at
   * 6 kW; the event itself at 3 kW then 2.5 kW.
   */
  private static Samples fixture() {
    Samples s = new Samples();
    int j = 0;
    for (int back = 1; j < 10; back++) {
      LocalDate day = LocalDate.of(2026, 11, 25).minusDays(back);
      Instant at = START.minus(Duration.ofDays(back));
      boolean weekend = day.getDayOfWeek().getValue() >= 6;
      boolean eventDay = back == 1;
      double rig1;
      if (weekend || eventDay) {
        rig1 = 49_000;
      } else {
        j++;
        rig1 = j * 1000;
      }
      for (int q = 0; q < 2; q++) {
        Instant t = at.plus(Duration.ofMinutes(5 + 15 * q));
        s.add("rig-1", t, rig1);
        s.add("rig-2", t, 1000);
      }
    }
    for (int minutesBefore : new int[] {60, 45}) {
      s.add("rig-1", START.minus(Duration.ofMinutes(minutesBefore)), 4000);
      s.add("rig-2", START.minus(Duration.ofMinutes(minutesBefore)), 2000);
    }
    s.add("rig-1", START.plus(Duration.ofMinutes(5)), 1000);
    s.add("rig-2", START.plus(Duration.ofMinutes(5)), 2000);
    s.add("rig-1", START.plus(Duration.ofMinutes(20)), 1000);
    s.add("rig-2", START.plus(Duration.ofMinutes(20)), 1500);
    return s;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void reportHasTheMiddleEightOfTenLikeDaysThePreEventAverageAndEachRigsShare(TestDatabase db)
      throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      store.saveRig(rig("rig-1"), START.minus(Duration.ofDays(30))).get(5, TimeUnit.SECONDS);
      store.saveRig(rig("rig-2"), START.minus(Duration.ofDays(30))).get(5, TimeUnit.SECONDS);
      fixture().store(store);
      store
          .save(
              event(
                  "earlier",
                  START.minus(Duration.ofDays(1)),
                  new EventTarget.Cap(1),
                  EventState.COMPLETED,
                  true))
          .get(5, TimeUnit.SECONDS);
      CurtailmentEvent event =
          event("ev", START, new EventTarget.Cap(3.2), EventState.COMPLETED, true);
      store.save(event).get(5, TimeUnit.SECONDS);
      ComplianceReports reports =
          new ComplianceReports(
              store.complianceRecords(),
              store,
              Clock.fixed(START.plus(Duration.ofHours(1)), ZoneOffset.UTC),
              ZoneOffset.UTC);

      ComplianceReport r = reports.report(event);

      assertThat(r.isFinal()).isTrue();
      assertThat(r.likeDaysUsed()).isEqualTo(10);
      assertThat(r.deltaBaseline()).isEqualTo(ComplianceReport.BaselineMethod.MIDDLE_8_OF_10_DAYS);
      assertThat(r.preEventKw()).isCloseTo(6.0, within(1e-9));
      assertThat(r.intervals()).hasSize(2);
      // Days 2..9 kept: rig-1 averages 5.5 kW, rig-2 1 kW.
      assertThat(r.intervals())
          .allSatisfy(i -> assertThat(i.likeDaysKw()).isCloseTo(6.5, within(1e-9)));
      assertThat(r.intervals().get(0).measuredKw()).isCloseTo(3.0, within(1e-9));
      assertThat(r.intervals().get(1).measuredKw()).isCloseTo(2.5, within(1e-9));
      assertThat(r.deltaKw()).isCloseTo(3.75, within(1e-9));
      assertThat(r.targetMet()).isTrue();
      assertThat(r.deadlineMet()).isTrue();
      assertThat(r.rigs())
          .extracting(ComplianceReport.RigShare::rigId)
          .containsExactly("rig-1", "rig-2");
      assertThat(r.rigs().get(0).shedKw()).isCloseTo(3.0, within(1e-9));
      assertThat(r.share(r.rigs().get(1))).isCloseTo(0.25 / 3.25, within(1e-9));
      assertThat(ComplianceCsv.render(r))
          .startsWith("event_id,interval_start,")
          .contains(
              "ev,2026-11-25T10:15:00Z,2026-11-25T10:30:00Z,900.000,6.000,6.500,2.500,3.200,4.000,true");

      // The final report is stored; it outlives the raw telemetry.
      var records = store.complianceRecords();
      await().atMost(Duration.ofSeconds(5)).until(() -> records.storedReport("ev").isPresent());
      try (Connection c = DriverManager.getConnection(store.fullUrl());
          Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM telemetry");
      }
      ComplianceReport again = reports.report(event);
      assertThat(again.intervals()).isEqualTo(r.intervals());
      assertThat(again.rigs()).isEqualTo(r.rigs());
      assertThat(again.likeDaysUsed()).isEqualTo(10);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aScheduleTargetAndAModifiedEndReadBackEqual(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    EventTarget.Schedule schedule =
        new EventTarget.Schedule(
            false,
            List.of(
                new EventTarget.Schedule.Step(START, 500),
                new EventTarget.Schedule.Step(START.plusSeconds(600), 300.5)));
    CurtailmentEvent scheduled =
        event("ev", START, new EventTarget.ReduceBy(100), EventState.SCHEDULED, false);
    CurtailmentEvent modified =
        new CurtailmentEvent(
            "ev",
            "site-1",
            scheduled.requestId(),
            schedule,
            scheduled.startAt(),
            scheduled.responseTime(),
            END.plusSeconds(900),
            scheduled.program(),
            EventState.SCHEDULED,
            scheduled.createdAt(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());
    try (ControllerStore store = ControllerStore.open(url)) {
      store.save(scheduled).get(5, TimeUnit.SECONDS);
      store.save(modified).get(5, TimeUnit.SECONDS);
    }
    try (ControllerStore store = ControllerStore.open(url)) {
      assertThat(store.find("ev")).contains(modified);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void everyDispatchPlanIsStoredWithItsSetpoints(TestDatabase db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db.newDatabaseUrl(dir))) {
      Map<String, Setpoint> setpoints = new LinkedHashMap<>();
      setpoints.put("rig-1", new Setpoint.PowerTarget(2100));
      setpoints.put("rig-2", new Setpoint.Sleep());
      store.planMade(
          "ev", START, 3200, 6000, new DispatchPlan(setpoints, 3100, 3150, 0, List.of()));
      store.planMade(
          "ev",
          START.plusSeconds(2),
          3200,
          3300,
          new DispatchPlan(Map.of(), 3100, 3300, 100, List.of()));

      var records = store.complianceRecords();
      await().atMost(Duration.ofSeconds(5)).until(() -> records.plans("ev").size() == 2);
      assertThat(records.plans("ev"))
          .extracting(ComplianceRecords.StoredPlan::setpoints)
          .containsExactly(2, 0);
      assertThat(records.plans("ev").getFirst().expectedSiteW()).isEqualTo(3150);
    }
  }
}
