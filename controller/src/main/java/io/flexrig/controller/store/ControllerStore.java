package io.flexrig.controller.store;

import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventJournal;
import io.flexrig.controller.events.EventState;
import io.flexrig.controller.events.EventTarget;
import io.flexrig.controller.events.RigCommand;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The controller's durable state through plain JDBC, on SQLite (the embedded default) or
 * PostgreSQL; one schema for both, migrated by Flyway (see {@link Migrations}).
 *
 * <p>Two connections: one owned by the {@link StoreWriter} thread for every write, one for reads
 * (WAL lets SQLite readers run beside the writer). On SQLite {@code synchronous=FULL}, because a
 * telemetry ack lets the agent forget the samples: a commit must survive a power cut, and batching
 * keeps the cost to one fsync per batch (PostgreSQL's default {@code synchronous_commit=on} does
 * the same). Every statement is plain SQL both databases accept ({@code ON CONFLICT ... DO NOTHING}
 * for exactly-once rows).
 */
public final class ControllerStore implements EventJournal, AuditLog, AutoCloseable {

  // Holds a whole fleet's commands of one dispatch (100,000 rigs) with room to spare.
  private static final int CONTROL_QUEUE_CAPACITY = 262_144;
  private static final int BULK_QUEUE_CAPACITY = 65_536;
  private static final int BULK_TRANSACTION_ROWS = 8_192;
  private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(100);

  private final String url;
  private final Database database;
  private Connection reader; // guarded by this
  private final StoreWriter writer;
  private final WalCheckpoints checkpoints; // SQLite only

  private ControllerStore(
      String url,
      Database database,
      Connection reader,
      WalCheckpoints checkpoints,
      StoreWriter writer) {
    this.url = url;
    this.database = database;
    this.reader = reader;
    this.checkpoints = checkpoints;
    this.writer = writer;
  }

  /**
   * Opens (creating if needed) an SQLite file and brings its schema up to date.
   *
   * @throws StoreException when the file cannot be opened or migrated
   */
  public static ControllerStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
    return open(Database.sqliteUrl(file));
  }

  /**
   * Opens the database at a JDBC URL ({@code jdbc:sqlite:<file>} or {@code
   * jdbc:postgresql://host:port/db?user=..}) and brings its schema up to date.
   *
   * @throws StoreException when the database cannot be reached or migrated
   * @throws IllegalArgumentException for a URL of another database
   */
  public static ControllerStore open(String jdbcUrl) {
    Database database = Database.of(jdbcUrl);
    Migrations.apply(jdbcUrl);
    try {
      return openOrThrow(jdbcUrl, database);
    } catch (SQLException e) {
      throw new StoreException("cannot open the database " + Migrations.redacted(jdbcUrl), e);
    }
  }

  private static ControllerStore openOrThrow(String url, Database database) throws SQLException {
    Connection writing = connect(url, database);
    Connection reading = null;
    try {
      if (database == Database.SQLITE) {
        try (Statement st = writing.createStatement()) {
          st.execute("PRAGMA journal_mode=WAL");
          st.execute("PRAGMA synchronous=FULL");
          // 64 MiB page cache for the writer: the telemetry key's B-tree stays in memory.
          st.execute("PRAGMA cache_size=-65536");
          // Checkpoints run beside the writer (WalCheckpoints); this is only the safety net.
          st.execute("PRAGMA wal_autocheckpoint=" + WalCheckpoints.WRITER_FALLBACK_PAGES);
        }
      }
      reading = connect(url, database);
      StoreWriter writer =
          new StoreWriter(
              writing,
              CONTROL_QUEUE_CAPACITY,
              BULK_QUEUE_CAPACITY,
              BULK_TRANSACTION_ROWS,
              () -> connect(url, database));
      WalCheckpoints checkpoints = null;
      if (database == Database.SQLITE) {
        try {
          checkpoints = new WalCheckpoints(connect(url, database), CHECKPOINT_EVERY);
        } catch (SQLException e) {
          writer.close();
          throw e;
        }
      }
      return new ControllerStore(url, database, reading, checkpoints, writer);
    } catch (SQLException | RuntimeException e) {
      writing.close();
      if (reading != null) {
        reading.close();
      }
      throw e;
    }
  }

  private static Connection connect(String url, Database database) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    if (database == Database.SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA foreign_keys=ON");
        st.execute("PRAGMA busy_timeout=5000");
      }
    }
    return c;
  }

  /** The JDBC URL of the database, without its query (which may hold a password). */
  public String url() {
    return Migrations.redacted(url);
  }

  /** The full JDBC URL (tests open their own connections with it). */
  String fullUrl() {
    return url;
  }

  public Database database() {
    return database;
  }

  public StoreWriter writer() {
    return writer;
  }

  // ---- writes (all through the writer thread) ----

  /** Inserts or updates a rig (and its site and capabilities) after a hello. */
  public CompletableFuture<Void> saveRig(RigRegistration rig, Instant helloAt) {
    // Bulk lane: a reconnect storm of a whole site must not delay events and commands.
    return writer.submitBulk(
        "rig " + rig.rigId(),
        s -> {
          PreparedStatement site =
              s.get(
                  "INSERT INTO sites (site_id, first_seen_at) VALUES (?, ?)"
                      + " ON CONFLICT (site_id) DO NOTHING");
          site.setString(1, rig.siteId());
          site.setLong(2, helloAt.toEpochMilli());
          site.executeUpdate();
          PreparedStatement up =
              s.get(
                  "INSERT INTO rigs (rig_id, site_id, hardware_profile_id, agent_version,"
                      + " nameplate_power_w, nameplate_hashrate_ths, nameplate_efficiency_j_per_th,"
                      + " nameplate_sleep_power_w, nameplate_ramp_w_per_s, first_seen_at,"
                      + " last_hello_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (rig_id) DO UPDATE SET site_id = excluded.site_id,"
                      + " hardware_profile_id = excluded.hardware_profile_id,"
                      + " agent_version = excluded.agent_version,"
                      + " nameplate_power_w = excluded.nameplate_power_w,"
                      + " nameplate_hashrate_ths = excluded.nameplate_hashrate_ths,"
                      + " nameplate_efficiency_j_per_th = excluded.nameplate_efficiency_j_per_th,"
                      + " nameplate_sleep_power_w = excluded.nameplate_sleep_power_w,"
                      + " nameplate_ramp_w_per_s = excluded.nameplate_ramp_w_per_s,"
                      + " last_hello_at = excluded.last_hello_at");
          RigNameplate n = rig.nameplate();
          up.setString(1, rig.rigId());
          up.setString(2, rig.siteId());
          up.setString(3, rig.hardwareProfileId());
          up.setString(4, rig.agentVersion());
          up.setDouble(5, n.powerW());
          up.setDouble(6, n.hashrateThs());
          up.setDouble(7, n.efficiencyJPerTh());
          up.setDouble(8, n.sleepPowerW());
          up.setDouble(9, n.rampWPerS());
          up.setLong(10, helloAt.toEpochMilli());
          up.setLong(11, helloAt.toEpochMilli());
          up.executeUpdate();
          PreparedStatement del = s.get("DELETE FROM rig_capabilities WHERE rig_id = ?");
          del.setString(1, rig.rigId());
          del.executeUpdate();
          PreparedStatement cap =
              s.get(
                  "INSERT INTO rig_capabilities"
                      + " (rig_id, method, min_power_w, max_power_w, latency_s)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (rig_id, method) DO UPDATE SET"
                      + " min_power_w = excluded.min_power_w, max_power_w = excluded.max_power_w,"
                      + " latency_s = excluded.latency_s");
          for (RigCapability c : rig.capabilities()) {
            cap.setString(1, rig.rigId());
            cap.setString(2, c.method().name());
            cap.setDouble(3, c.minPowerW());
            cap.setDouble(4, c.maxPowerW());
            cap.setDouble(5, c.latencyS());
            cap.executeUpdate();
          }
        });
  }

  /** Stores samples; a sample already stored (same rig and sequence) is ignored. */
  public CompletableFuture<Void> saveTelemetry(String rigId, List<RigSample> samples) {
    List<TelemetryRow> rows = new ArrayList<>(samples.size());
    for (RigSample x : samples) {
      rows.add(new TelemetryRow(rigId, x));
    }
    return writer.submitRows("telemetry " + rigId, TELEMETRY, rows);
  }

  private record TelemetryRow(String rigId, RigSample sample) {}

  // Multi-row inserts merged across agents by the writer; the key makes a resent sample a no-op,
  // also when its duplicate sits in the same statement.
  private static final StoreWriter.RowTable<TelemetryRow> TELEMETRY =
      new StoreWriter.RowTable<>() {
        @Override
        public String head() {
          return "INSERT INTO telemetry (rig_id, sequence, sampled_at, received_at,"
              + " power_w, power_quality, hashrate_ths, chip_temp_max_c, grid_frequency_hz,"
              + " state, power_target_w) VALUES";
        }

        @Override
        public int columns() {
          return 11;
        }

        @Override
        public String tail() {
          return "ON CONFLICT (rig_id, sequence) DO NOTHING";
        }

        @Override
        public void bind(PreparedStatement ps, int o, TelemetryRow row) throws SQLException {
          RigSample x = row.sample();
          ps.setString(o + 1, row.rigId());
          ps.setLong(o + 2, x.sequence());
          ps.setLong(o + 3, x.sampledAt().toEpochMilli());
          ps.setLong(o + 4, x.receivedAt().toEpochMilli());
          ps.setDouble(o + 5, x.powerW());
          ps.setString(o + 6, x.powerQuality());
          ps.setDouble(o + 7, x.hashrateThs());
          ps.setDouble(o + 8, x.chipTempMaxC());
          ps.setDouble(o + 9, x.gridFrequencyHz());
          ps.setString(o + 10, x.activity().name());
          ps.setDouble(o + 11, x.powerTargetW());
        }
      };

  @Override
  public CompletableFuture<Void> commandIssued(RigCommand c) {
    return writer.submit(
        "command " + c.commandId(),
        s -> {
          PreparedStatement ps =
              s.get(
                  "INSERT INTO dispatch_commands (command_id, event_id, rig_id, action,"
                      + " setpoint_power_w, issued_at, deadline, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING");
          ps.setString(1, c.commandId());
          setNullableString(ps, 2, c.eventId());
          ps.setString(3, c.rigId());
          ps.setString(4, c.action().name());
          if (c.action() == RigCommand.Action.SET_POWER_TARGET) {
            ps.setDouble(5, c.powerW());
          } else {
            ps.setNull(5, Types.DOUBLE);
          }
          ps.setLong(6, c.issuedAt().toEpochMilli());
          ps.setLong(7, c.deadline().toEpochMilli());
          ps.setLong(8, c.expiresAt().toEpochMilli());
          if (ps.executeUpdate() > 0) {
            insertAudit(
                s,
                new AuditEntry(
                    c.issuedAt(),
                    "controller",
                    "dispatcher",
                    "command " + c.action().name(),
                    "rig " + c.rigId() + " command " + c.commandId(),
                    "ISSUED",
                    (c.action() == RigCommand.Action.SET_POWER_TARGET
                            ? "power_w=" + c.powerW() + " "
                            : "")
                        + "event="
                        + (c.eventId() == null ? "" : c.eventId())
                        + " deadline="
                        + c.deadline()
                        + " expires_at="
                        + c.expiresAt()));
          }
        });
  }

  public CompletableFuture<Void> saveCommandAck(CommandAckRow a) {
    return writer.submit(
        "ack " + a.commandId(),
        s -> {
          PreparedStatement ps =
              s.get(
                  "UPDATE dispatch_commands SET acked_at = ?, accepted = ?, ack_reason = ?,"
                      + " clamped = ?, applied_power_w = ? WHERE command_id = ?");
          ps.setLong(1, a.receivedAt().toEpochMilli());
          ps.setInt(2, a.accepted() ? 1 : 0);
          ps.setString(3, a.reason());
          ps.setInt(4, a.clamped() ? 1 : 0);
          ps.setDouble(5, a.appliedPowerW());
          ps.setString(6, a.commandId());
          ps.executeUpdate();
          insertAudit(
              s,
              new AuditEntry(
                  a.receivedAt(),
                  a.rigId(),
                  "agent",
                  "command ack",
                  "rig " + a.rigId() + " command " + a.commandId(),
                  a.accepted() ? "ACCEPTED" : "REJECTED",
                  (a.clamped() ? "clamped to " + a.appliedPowerW() + " W; " : "") + a.reason()));
        });
  }

  @Override
  public CompletableFuture<Void> record(AuditEntry e) {
    return writer.submit("audit " + e.action(), s -> insertAudit(s, e));
  }

  private static void insertAudit(StoreWriter.Statements s, AuditEntry e) throws SQLException {
    PreparedStatement ps =
        s.get(
            "INSERT INTO audit_log (audit_id, occurred_at, actor, actor_role, action, subject,"
                + " result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, UUID.randomUUID().toString());
    ps.setLong(2, e.at().toEpochMilli());
    ps.setString(3, e.actor());
    ps.setString(4, e.role());
    ps.setString(5, e.action());
    ps.setString(6, e.subject());
    ps.setString(7, e.result());
    ps.setString(8, e.detail());
    ps.executeUpdate();
  }

  /** The newest audit entries, newest first. */
  public synchronized List<AuditEntry> auditTrail(int limit) {
    try (PreparedStatement ps =
        reader.prepareStatement(
            "SELECT * FROM audit_log ORDER BY occurred_at DESC, audit_id LIMIT "
                + Math.max(1, limit))) {
      List<AuditEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditEntry(
                  Instant.ofEpochMilli(rs.getLong("occurred_at")),
                  rs.getString("actor"),
                  rs.getString("actor_role"),
                  rs.getString("action"),
                  rs.getString("subject"),
                  rs.getString("result"),
                  rs.getString("detail")));
        }
      }
      return out;
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return auditTrail(limit); // once more on a fresh connection
      }
      throw new StoreException("cannot read the audit log", e);
    }
  }

  public CompletableFuture<Void> saveCommandResult(CommandResultRow r) {
    return writer.submit(
        "result " + r.commandId(),
        s -> {
          PreparedStatement ps =
              s.get(
                  "UPDATE dispatch_commands SET result_outcome = ?, result_measured_power_w = ?,"
                      + " result_applied_power_w = ?, result_observed_at = ?, result_detail = ?"
                      + " WHERE command_id = ?");
          ps.setString(1, r.outcome());
          ps.setDouble(2, r.measuredPowerW());
          ps.setDouble(3, r.appliedPowerW());
          ps.setLong(4, r.observedAt().toEpochMilli());
          ps.setString(5, r.detail());
          ps.setString(6, r.commandId());
          ps.executeUpdate();
        });
  }

  /** Stores an alarm once (a resent alarm id is ignored). */
  public CompletableFuture<Void> saveAlarm(AlarmRow a) {
    return writer.submit(
        "alarm " + a.alarmId(),
        s -> {
          PreparedStatement ps =
              s.get(
                  "INSERT INTO alarms (alarm_id, rig_id, severity, code, message,"
                      + " raised_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (alarm_id) DO NOTHING");
          ps.setString(1, a.alarmId());
          ps.setString(2, a.rigId());
          ps.setString(3, a.severity());
          ps.setString(4, a.code());
          ps.setString(5, a.message());
          ps.setLong(6, a.raisedAt().toEpochMilli());
          ps.setLong(7, a.receivedAt().toEpochMilli());
          ps.executeUpdate();
        });
  }

  @Override
  public CompletableFuture<Void> save(CurtailmentEvent e) {
    return writer.submit(
        "event " + e.eventId(),
        s -> {
          PreparedStatement ps =
              s.get(
                  "INSERT INTO curtailment_events (event_id, site_id, request_id, reduce_by_kw,"
                      + " cap_site_kw, start_at, response_time_s, deadline, end_at, program, state,"
                      + " created_at, baseline_kw, target_kw, target_met_at, deadline_met,"
                      + " ended_at, schedule_kind, schedule_steps)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (event_id) DO UPDATE SET state = excluded.state,"
                      + " reduce_by_kw = excluded.reduce_by_kw, cap_site_kw = excluded.cap_site_kw,"
                      + " schedule_kind = excluded.schedule_kind,"
                      + " schedule_steps = excluded.schedule_steps, end_at = excluded.end_at,"
                      + " baseline_kw = excluded.baseline_kw, target_kw = excluded.target_kw,"
                      + " target_met_at = excluded.target_met_at,"
                      + " deadline_met = excluded.deadline_met, ended_at = excluded.ended_at");
          ps.setString(1, e.eventId());
          ps.setString(2, e.siteId());
          ps.setString(3, e.requestId());
          if (e.target() instanceof EventTarget.ReduceBy(double kw)) {
            ps.setDouble(4, kw);
            ps.setNull(5, Types.DOUBLE);
          } else if (e.target() instanceof EventTarget.Cap(double kw)) {
            ps.setNull(4, Types.DOUBLE);
            ps.setDouble(5, kw);
          }
          ComplianceRecords.bindSchedule(ps, 4, 5, 18, 19, e.target());
          ps.setLong(6, e.startAt().toEpochMilli());
          ps.setDouble(7, e.responseTime().toMillis() / 1000.0);
          ps.setLong(8, e.deadline().toEpochMilli());
          ps.setLong(9, e.endAt().toEpochMilli());
          ps.setString(10, e.program());
          ps.setString(11, e.state().name());
          ps.setLong(12, e.createdAt().toEpochMilli());
          setNullableDouble(ps, 13, e.baselineKw());
          setNullableDouble(ps, 14, e.targetKw());
          setNullableInstant(ps, 15, e.targetMetAt());
          ps.setInt(16, e.deadlineMet() ? 1 : 0);
          setNullableInstant(ps, 17, e.endedAt());
          ps.executeUpdate();
        });
  }

  @Override
  public void planMade(
      String eventId, Instant plannedAt, double targetW, double siteW, DispatchPlan plan) {
    ComplianceRecords.savePlan(writer, eventId, plannedAt, targetW, siteW, plan);
  }

  /** Dispatch plans and compliance reports in this database. */
  public ComplianceRecords complianceRecords() {
    return new ComplianceRecords(this);
  }

  /** A read on the reader connection, retried once on a fresh one if it broke. */
  synchronized <T> T read(String what, Read<T> read) {
    try {
      return read.apply(reader);
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return read(what, read);
      }
      throw new StoreException("cannot read " + what, e);
    }
  }

  /** One read through the reader connection. */
  interface Read<T> {
    T apply(Connection reader) throws SQLException;
  }

  // ---- reads (reader connection) ----

  @Override
  public synchronized Optional<CurtailmentEvent> find(String eventId) {
    return queryEvents("SELECT * FROM curtailment_events WHERE event_id = ?", eventId).stream()
        .findFirst();
  }

  @Override
  public synchronized Optional<CurtailmentEvent> findByRequestId(String requestId) {
    return queryEvents("SELECT * FROM curtailment_events WHERE request_id = ?", requestId).stream()
        .findFirst();
  }

  @Override
  public synchronized List<CurtailmentEvent> list(String siteId, int limit) {
    return queryEvents(
        "SELECT * FROM curtailment_events WHERE site_id = ?"
            + " ORDER BY start_at DESC, created_at DESC LIMIT "
            + Math.max(1, limit),
        siteId);
  }

  @Override
  public synchronized List<CurtailmentEvent> unfinished() {
    return queryEvents(
        "SELECT * FROM curtailment_events WHERE state IN (?, ?) ORDER BY start_at",
        EventState.SCHEDULED.name(),
        EventState.ACTIVE.name());
  }

  /** Every known rig with its capabilities and highest stored telemetry sequence. */
  public synchronized List<StoredRig> loadRigs() {
    try {
      Map<String, List<RigCapability>> caps = new HashMap<>();
      try (Statement st = reader.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM rig_capabilities")) {
        while (rs.next()) {
          caps.computeIfAbsent(rs.getString("rig_id"), k -> new ArrayList<>())
              .add(
                  new RigCapability(
                      CurtailmentMethodKind.valueOf(rs.getString("method")),
                      rs.getDouble("min_power_w"),
                      rs.getDouble("max_power_w"),
                      rs.getDouble("latency_s")));
        }
      }
      Map<String, Long> through = new HashMap<>();
      try (Statement st = reader.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT rig_id, MAX(sequence) FROM telemetry GROUP BY rig_id")) {
        while (rs.next()) {
          through.put(rs.getString(1), rs.getLong(2));
        }
      }
      List<StoredRig> rigs = new ArrayList<>();
      try (Statement st = reader.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM rigs ORDER BY rig_id")) {
        while (rs.next()) {
          String rigId = rs.getString("rig_id");
          RigRegistration reg =
              new RigRegistration(
                  rigId,
                  rs.getString("site_id"),
                  rs.getString("hardware_profile_id"),
                  rs.getString("agent_version"),
                  caps.getOrDefault(rigId, List.of()),
                  new RigNameplate(
                      rs.getDouble("nameplate_power_w"),
                      rs.getDouble("nameplate_hashrate_ths"),
                      rs.getDouble("nameplate_efficiency_j_per_th"),
                      rs.getDouble("nameplate_sleep_power_w"),
                      rs.getDouble("nameplate_ramp_w_per_s")));
          rigs.add(new StoredRig(reg, through.getOrDefault(rigId, 0L)));
        }
      }
      return rigs;
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return loadRigs(); // once more on a fresh connection
      }
      throw new StoreException("cannot load rigs", e);
    }
  }

  /** Number of samples stored for a rig. */
  public synchronized long telemetryCount(String rigId) {
    try (PreparedStatement ps =
        reader.prepareStatement("SELECT COUNT(*) FROM telemetry WHERE rig_id = ?")) {
      ps.setString(1, rigId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return telemetryCount(rigId); // once more on a fresh connection
      }
      throw new StoreException("cannot count telemetry", e);
    }
  }

  /** A rig's 1-minute rollups with {@code from <= minute start < to}, oldest first. */
  public synchronized List<TelemetryRollup> rollups(String rigId, Instant from, Instant to) {
    try (PreparedStatement ps =
        reader.prepareStatement(
            "SELECT * FROM telemetry_rollups_1m WHERE rig_id = ? AND minute_start >= ?"
                + " AND minute_start < ? ORDER BY minute_start")) {
      ps.setString(1, rigId);
      ps.setLong(2, from.toEpochMilli());
      ps.setLong(3, to.toEpochMilli());
      List<TelemetryRollup> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new TelemetryRollup(
                  rs.getString("rig_id"),
                  Instant.ofEpochMilli(rs.getLong("minute_start")),
                  rs.getLong("sample_count"),
                  optionalDouble(rs, "power_min_w"),
                  optionalDouble(rs, "power_avg_w"),
                  optionalDouble(rs, "power_max_w"),
                  rs.getDouble("chip_temp_avg_c"),
                  rs.getDouble("hashrate_avg_ths")));
        }
      }
      return out;
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return rollups(rigId, from, to); // once more on a fresh connection
      }
      throw new StoreException("cannot read telemetry rollups", e);
    }
  }

  private static OptionalDouble optionalDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  private List<CurtailmentEvent> queryEvents(String sql, String... args) {
    try (PreparedStatement ps = reader.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setString(i + 1, args[i]);
      }
      List<CurtailmentEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(event(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      if (reopenReaderIfBroken()) {
        return queryEvents(sql, args); // once more on a fresh connection
      }
      throw new StoreException("cannot read curtailment events", e);
    }
  }

  private static CurtailmentEvent event(ResultSet rs) throws SQLException {
    double reduce = rs.getDouble("reduce_by_kw");
    EventTarget target =
        rs.wasNull()
            ? new EventTarget.Cap(rs.getDouble("cap_site_kw"))
            : new EventTarget.ReduceBy(reduce);
    target = ComplianceRecords.schedule(rs).orElse(target);
    return new CurtailmentEvent(
        rs.getString("event_id"),
        rs.getString("site_id"),
        rs.getString("request_id"),
        target,
        Instant.ofEpochMilli(rs.getLong("start_at")),
        Duration.ofMillis(Math.round(rs.getDouble("response_time_s") * 1000)),
        Instant.ofEpochMilli(rs.getLong("end_at")),
        rs.getString("program"),
        EventState.valueOf(rs.getString("state")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        nullableDouble(rs, "baseline_kw"),
        nullableDouble(rs, "target_kw"),
        nullableInstant(rs, "target_met_at"),
        rs.getInt("deadline_met") != 0,
        nullableInstant(rs, "ended_at"));
  }

  private static Optional<Double> nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static Optional<Instant> nullableInstant(ResultSet rs, String column)
      throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  private static void setNullableDouble(PreparedStatement ps, int i, Optional<Double> v)
      throws SQLException {
    if (v.isPresent()) {
      ps.setDouble(i, v.get());
    } else {
      ps.setNull(i, Types.DOUBLE);
    }
  }

  private static void setNullableInstant(PreparedStatement ps, int i, Optional<Instant> v)
      throws SQLException {
    if (v.isPresent()) {
      ps.setLong(i, v.get().toEpochMilli());
    } else {
      ps.setNull(i, Types.BIGINT);
    }
  }

  private static void setNullableString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null || v.isEmpty()) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  /** After a failed read: true when the reader connection was broken and is now replaced. */
  private boolean reopenReaderIfBroken() {
    try {
      if (reader.isValid(2)) {
        return false;
      }
    } catch (SQLException e) {
      // treat as broken
    }
    try {
      reader.close();
    } catch (SQLException ignored) {
      // it is gone anyway
    }
    try {
      reader = connect(url, database);
      return true;
    } catch (SQLException e) {
      return false; // still unreachable: the next failed read tries again
    }
  }

  /** Flushes queued writes, then closes both connections. */
  @Override
  public void close() {
    writer.close();
    if (checkpoints != null) {
      checkpoints.close();
    }
    synchronized (this) {
      try {
        reader.close();
      } catch (SQLException e) {
        throw new StoreException("cannot close the reader connection", e);
      }
    }
  }
}
