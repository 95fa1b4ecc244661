package io.flexrig.controller.store;

import io.flexrig.controller.compliance.ComplianceReport;
import io.flexrig.controller.compliance.LoadHistory;
import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventTarget;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Dispatch plans and compliance records (schema V4): site load history per quarter hour from the
 * stored telemetry, the final compliance reports, and the setpoint-schedule columns of events.
 */
public final class ComplianceRecords implements LoadHistory {

  private final ControllerStore store;

  ComplianceRecords(ControllerStore store) {
    this.store = store;
  }

  /** Power of a sample counts only when its quality is GOOD or UNCERTAIN (as in the rollups). */
  private static final String USABLE = "t.power_quality IN ('GOOD', 'UNCERTAIN')";

  /**
   * Per rig, power sums and usable-sample counts within the windows {@code w}, from three disjoint
   * sources: the 1-minute rollups of the minutes wholly inside a window; raw samples of those
   * minutes that are not rolled up yet (sequence above the rig's mark: the rollup job moves the
   * mark in the transaction that merges the samples, so a sample is in exactly one of the two); and
   * raw samples of the partial minutes at a window's edges. Rows: (rig_id, at, psum, pcount).
   *
   * <p>Rolled-up samples are read from the rollups even while the raw rows still exist, so the
   * answer does not change when retention deletes them. Partial edge minutes need raw samples; an
   * edge minute older than raw retention counts without its samples (event starts and ends are read
   * while the event is recent, and like-day windows are quarter-hour aligned).
   */
  private static final String POWER_SUMS =
      "SELECT u.rig_id, u.minute_start AS at, u.power_sum_w AS psum, u.power_count AS pcount"
          + " FROM w JOIN telemetry_rollups u"
          + " ON u.minute_start >= w.full_lo AND u.minute_start < w.full_hi"
          + " JOIN rigs r ON r.rig_id = u.rig_id WHERE r.site_id = ?"
          + " UNION ALL SELECT t.rig_id, t.sampled_at, t.power_w, 1"
          + " FROM rigs r LEFT JOIN telemetry_rollup_marks m ON m.rig_id = r.rig_id"
          + " JOIN telemetry t ON t.rig_id = r.rig_id"
          + " AND t.sequence > COALESCE(m.rolled_through_sequence, -1)"
          + " JOIN w ON t.sampled_at >= w.full_lo AND t.sampled_at < w.full_hi"
          + " WHERE r.site_id = ? AND "
          + USABLE
          // CROSS JOIN fixes SQLite's join order (PostgreSQL plans it freely): the edge minutes
          // are found through telemetry_by_sampled_at, not by reading each rig's samples.
          + " UNION ALL SELECT t.rig_id, t.sampled_at, t.power_w, 1"
          + " FROM w CROSS JOIN telemetry t CROSS JOIN rigs r"
          + " WHERE t.sampled_at >= w.lo AND t.sampled_at < w.full_lo"
          + " AND r.rig_id = t.rig_id AND r.site_id = ? AND "
          + USABLE
          + " UNION ALL SELECT t.rig_id, t.sampled_at, t.power_w, 1"
          + " FROM w CROSS JOIN telemetry t CROSS JOIN rigs r"
          + " WHERE t.sampled_at >= w.full_hi AND t.sampled_at < w.hi"
          + " AND r.rig_id = t.rig_id AND r.site_id = ? AND "
          + USABLE;

  @Override
  public Map<Instant, Double> siteLoadByQuarterHour(String siteId, List<Window> asked) {
    List<Window> windows = merged(asked);
    if (windows.isEmpty()) {
      return Map.of();
    }
    // Per rig and quarter hour the average, then summed per quarter hour: a rig sampled more
    // often does not weigh more. Integer division is floor division on both databases here
    // (epoch milliseconds are positive); a quarter hour is whole minutes, so a rollup row lies in
    // the quarter hour of its samples.
    String sql =
        windowsCte(windows.size())
            + " SELECT slot, SUM(psum / pcount) FROM (SELECT rig_id, at / "
            + QUARTER_HOUR_MS
            + " AS slot, SUM(psum) AS psum, SUM(pcount) AS pcount FROM ("
            + POWER_SUMS
            + ") p GROUP BY rig_id, at / "
            + QUARTER_HOUR_MS
            + " HAVING SUM(pcount) > 0) per_rig GROUP BY slot ORDER BY slot";
    return store.read(
        "site load history",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, siteId, windows);
            Map<Instant, Double> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(Instant.ofEpochMilli(rs.getLong(1) * QUARTER_HOUR_MS), rs.getDouble(2));
              }
            }
            return out;
          }
        });
  }

  @Override
  public Map<String, Double> rigAverageW(String siteId, Instant from, Instant to) {
    List<Window> windows = List.of(new Window(from, to));
    String sql =
        windowsCte(1)
            + " SELECT rig_id, SUM(psum) / SUM(pcount) FROM ("
            + POWER_SUMS
            + ") p GROUP BY rig_id HAVING SUM(pcount) > 0";
    return store.read(
        "rig averages",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, siteId, windows);
            Map<String, Double> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getString(1), rs.getDouble(2));
              }
            }
            return out;
          }
        });
  }

  /** The windows sorted, overlapping or touching ones merged: no sample is counted twice. */
  static List<Window> merged(List<Window> windows) {
    List<Window> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparing(Window::from));
    List<Window> out = new ArrayList<>();
    for (Window w : sorted) {
      Window last = out.isEmpty() ? null : out.getLast();
      if (last != null && !w.from().isAfter(last.to())) {
        if (w.to().isAfter(last.to())) {
          out.set(out.size() - 1, new Window(last.from(), w.to()));
        }
      } else {
        out.add(w);
      }
    }
    return out;
  }

  /** The windows as a table w (lo, full_lo, full_hi, hi): [full_lo, full_hi) are whole minutes. */
  private static String windowsCte(int n) {
    StringBuilder sql = new StringBuilder("WITH w (lo, full_lo, full_hi, hi) AS (");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "SELECT " : " UNION ALL SELECT ");
      // The casts type the parameters for PostgreSQL; SQLite accepts and ignores them.
      sql.append("CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)");
    }
    return sql.append(")").toString();
  }

  private static void bind(PreparedStatement ps, String siteId, List<Window> windows)
      throws SQLException {
    int i = 1;
    for (Window w : windows) {
      long lo = w.from().toEpochMilli();
      long hi = w.to().toEpochMilli();
      long fullLo = Math.ceilDiv(lo, TelemetryRollups.MINUTE_MS) * TelemetryRollups.MINUTE_MS;
      long fullHi = Math.floorDiv(hi, TelemetryRollups.MINUTE_MS) * TelemetryRollups.MINUTE_MS;
      if (fullLo >= fullHi) {
        fullLo = hi; // no whole minute: all of it is read from raw samples
        fullHi = hi;
      }
      ps.setLong(i++, lo);
      ps.setLong(i++, fullLo);
      ps.setLong(i++, fullHi);
      ps.setLong(i++, hi);
    }
    for (int part = 0; part < 4; part++) {
      ps.setString(i++, siteId);
    }
  }

  @Override
  public Optional<ComplianceReport> storedReport(String eventId) {
    Optional<CurtailmentEvent> event = store.find(eventId);
    if (event.isEmpty()) {
      return Optional.empty();
    }
    return store.read(
        "compliance report",
        c -> {
          Instant generatedAt;
          double preEventKw;
          int likeDays;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM compliance_reports WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              generatedAt = Instant.ofEpochMilli(rs.getLong("generated_at"));
              preEventKw = rs.getDouble("pre_event_baseline_kw");
              likeDays = rs.getInt("like_days_used");
            }
          }
          List<ComplianceReport.Interval> intervals = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM compliance_intervals WHERE event_id = ? ORDER BY interval_start")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                intervals.add(
                    new ComplianceReport.Interval(
                        Instant.ofEpochMilli(rs.getLong("interval_start")),
                        Instant.ofEpochMilli(rs.getLong("interval_end")),
                        rs.getDouble("covered_s"),
                        rs.getDouble("pre_event_baseline_kw"),
                        nanIfNull(rs, "like_days_baseline_kw"),
                        nanIfNull(rs, "measured_kw"),
                        rs.getDouble("target_kw")));
              }
            }
          }
          List<ComplianceReport.RigShare> rigs = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM compliance_rig_contributions WHERE event_id = ?"
                      + " ORDER BY before_kw - during_kw DESC, rig_id")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rigs.add(
                    new ComplianceReport.RigShare(
                        rs.getString("rig_id"),
                        rs.getDouble("before_kw"),
                        rs.getDouble("during_kw")));
              }
            }
          }
          return Optional.of(
              new ComplianceReport(
                  event.get(), true, preEventKw, likeDays, intervals, rigs, generatedAt));
        });
  }

  @Override
  public CompletableFuture<Void> saveReport(ComplianceReport r) {
    String eventId = r.event().eventId();
    return store
        .writer()
        .submit(
            "compliance " + eventId,
            s -> {
              PreparedStatement head =
                  s.get(
                      "INSERT INTO compliance_reports (event_id, generated_at, delta_baseline,"
                          + " pre_event_baseline_kw, like_days_used) VALUES (?, ?, ?, ?, ?)"
                          + " ON CONFLICT (event_id) DO NOTHING");
              head.setString(1, eventId);
              head.setLong(2, r.generatedAt().toEpochMilli());
              head.setString(3, r.deltaBaseline().name());
              head.setDouble(4, r.preEventKw());
              head.setInt(5, r.likeDaysUsed());
              if (head.executeUpdate() == 0) {
                return; // stored before: a final report does not change
              }
              PreparedStatement row =
                  s.get(
                      "INSERT INTO compliance_intervals (event_id, interval_start, interval_end,"
                          + " covered_s, pre_event_baseline_kw, like_days_baseline_kw,"
                          + " measured_kw, target_kw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
              for (ComplianceReport.Interval i : r.intervals()) {
                row.setString(1, eventId);
                row.setLong(2, i.start().toEpochMilli());
                row.setLong(3, i.end().toEpochMilli());
                row.setDouble(4, i.coveredS());
                row.setDouble(5, i.preEventKw());
                setOrNull(row, 6, i.likeDaysKw());
                setOrNull(row, 7, i.measuredKw());
                row.setDouble(8, i.targetKw());
                row.addBatch();
              }
              row.executeBatch();
              PreparedStatement rig =
                  s.get(
                      "INSERT INTO compliance_rig_contributions (event_id, rig_id, before_kw,"
                          + " during_kw) VALUES (?, ?, ?, ?)");
              for (ComplianceReport.RigShare x : r.rigs()) {
                rig.setString(1, eventId);
                rig.setString(2, x.rigId());
                rig.setDouble(3, x.beforeKw());
                rig.setDouble(4, x.duringKw());
                rig.addBatch();
              }
              rig.executeBatch();
            });
  }

  /** The dispatch plans stored for an event, oldest first: (planned_at, target_w, setpoints). */
  public List<StoredPlan> plans(String eventId) {
    return store.read(
        "dispatch plans",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM dispatch_plans WHERE event_id = ? ORDER BY planned_at, plan_id")) {
            ps.setString(1, eventId);
            List<StoredPlan> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new StoredPlan(
                        rs.getString("plan_id"),
                        Instant.ofEpochMilli(rs.getLong("planned_at")),
                        rs.getDouble("target_w"),
                        rs.getDouble("expected_site_w"),
                        rs.getInt("setpoints")));
              }
            }
            return out;
          }
        });
  }

  /** One stored dispatch plan. */
  public record StoredPlan(
      String planId, Instant plannedAt, double targetW, double expectedSiteW, int setpoints) {}

  static void savePlan(
      StoreWriter writer,
      String eventId,
      Instant plannedAt,
      double targetW,
      double siteW,
      DispatchPlan plan) {
    String planId = UUID.randomUUID().toString();
    writer
        .submit(
            "plan " + planId,
            s -> {
              PreparedStatement head =
                  s.get(
                      "INSERT INTO dispatch_plans (plan_id, event_id, planned_at, target_w,"
                          + " site_w, aim_w, expected_site_w, shortfall_w, setpoints, skipped)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
              head.setString(1, planId);
              head.setString(2, eventId);
              head.setLong(3, plannedAt.toEpochMilli());
              head.setDouble(4, targetW);
              head.setDouble(5, siteW);
              head.setDouble(6, plan.aimW());
              head.setDouble(7, plan.expectedSiteW());
              head.setDouble(8, plan.shortfallW());
              head.setInt(9, plan.setpoints().size());
              head.setInt(10, plan.skipped().size());
              head.executeUpdate();
              PreparedStatement sp =
                  s.get(
                      "INSERT INTO dispatch_plan_setpoints (plan_id, rig_id, kind, power_w)"
                          + " VALUES (?, ?, ?, ?)");
              for (var e : plan.setpoints().entrySet()) {
                sp.setString(1, planId);
                sp.setString(2, e.getKey());
                if (e.getValue() instanceof Setpoint.PowerTarget(double w)) {
                  sp.setString(3, "POWER_TARGET");
                  sp.setDouble(4, w);
                } else {
                  sp.setString(3, "SLEEP");
                  sp.setNull(4, Types.DOUBLE);
                }
                sp.addBatch();
              }
              if (!plan.setpoints().isEmpty()) {
                sp.executeBatch();
              }
            })
        .exceptionally(
            e -> {
              org.slf4j.LoggerFactory.getLogger(ComplianceRecords.class)
                  .warn("Dispatch plan of event {} not stored", eventId, e);
              return null;
            });
  }

  /**
   * Binds the schedule columns of an event row; for a schedule also the kind's V1 column (the first
   * step's kW) so V1's exactly-one-target check holds.
   */
  static void bindSchedule(
      PreparedStatement ps, int reduceCol, int capCol, int kindCol, int stepsCol, EventTarget t)
      throws SQLException {
    if (t instanceof EventTarget.Schedule s) {
      double first = s.steps().getFirst().kw();
      if (s.reduce()) {
        ps.setDouble(reduceCol, first);
        ps.setNull(capCol, Types.DOUBLE);
      } else {
        ps.setNull(reduceCol, Types.DOUBLE);
        ps.setDouble(capCol, first);
      }
      ps.setString(kindCol, s.reduce() ? "REDUCE" : "CAP");
      StringBuilder steps = new StringBuilder();
      for (EventTarget.Schedule.Step step : s.steps()) {
        if (!steps.isEmpty()) {
          steps.append(';');
        }
        steps.append(step.startAt().toEpochMilli()).append('=').append(step.kw());
      }
      ps.setString(stepsCol, steps.toString());
    } else {
      ps.setNull(kindCol, Types.VARCHAR);
      ps.setNull(stepsCol, Types.VARCHAR);
    }
  }

  /** The schedule target of an event row, if it has one. */
  static Optional<EventTarget> schedule(ResultSet rs) throws SQLException {
    String kind = rs.getString("schedule_kind");
    String steps = rs.getString("schedule_steps");
    if (kind == null || steps == null) {
      return Optional.empty();
    }
    List<EventTarget.Schedule.Step> out = new ArrayList<>();
    for (String step : steps.split(";")) {
      int eq = step.indexOf('=');
      out.add(
          new EventTarget.Schedule.Step(
              Instant.ofEpochMilli(Long.parseLong(step.substring(0, eq))),
              Double.parseDouble(step.substring(eq + 1))));
    }
    return Optional.of(new EventTarget.Schedule(kind.equals("REDUCE"), out));
  }

  private static double nanIfNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : v;
  }

  private static void setOrNull(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v)) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
