-- Flexrig controller schema, version 1.
-- Instants are INTEGER milliseconds since the epoch (UTC); units are part of every column name.
-- Flyway-compatible file name (V<n>__<name>.sql); applied by io.flexrig.controller.store.Migrations.

CREATE TABLE sites (
  site_id        TEXT    NOT NULL PRIMARY KEY,
  first_seen_at  INTEGER NOT NULL
);

CREATE TABLE rigs (
  rig_id                          TEXT    NOT NULL PRIMARY KEY,
  site_id                         TEXT    NOT NULL REFERENCES sites (site_id),
  hardware_profile_id             TEXT    NOT NULL,
  agent_version                   TEXT    NOT NULL,
  nameplate_power_w               REAL    NOT NULL,
  nameplate_hashrate_ths          REAL    NOT NULL,
  nameplate_efficiency_j_per_th   REAL    NOT NULL,
  nameplate_sleep_power_w         REAL    NOT NULL,
  nameplate_ramp_w_per_s          REAL    NOT NULL,
  first_seen_at                   INTEGER NOT NULL,
  last_hello_at                   INTEGER NOT NULL
);
CREATE INDEX rigs_by_site ON rigs (site_id);

CREATE TABLE rig_capabilities (
  rig_id       TEXT NOT NULL REFERENCES rigs (rig_id) ON DELETE CASCADE,
  method       TEXT NOT NULL,
  min_power_w  REAL NOT NULL,
  max_power_w  REAL NOT NULL,
  latency_s    REAL NOT NULL,
  PRIMARY KEY (rig_id, method)
);

-- One row per sample; the primary key makes a resent sample a no-op (INSERT OR IGNORE).
CREATE TABLE telemetry (
  rig_id                  TEXT    NOT NULL,
  sequence                INTEGER NOT NULL,
  sampled_at              INTEGER NOT NULL,
  received_at             INTEGER NOT NULL,
  power_w                 REAL    NOT NULL,
  power_quality           TEXT    NOT NULL,
  hashrate_ths            REAL    NOT NULL,
  chip_temp_max_c         REAL    NOT NULL,
  grid_frequency_hz       REAL    NOT NULL,
  state                   TEXT    NOT NULL,
  power_target_w          REAL    NOT NULL,
  PRIMARY KEY (rig_id, sequence)
) WITHOUT ROWID;

CREATE TABLE curtailment_events (
  event_id          TEXT    NOT NULL PRIMARY KEY,
  site_id           TEXT    NOT NULL,
  request_id        TEXT    NOT NULL UNIQUE,
  reduce_by_kw      REAL,
  cap_site_kw       REAL,
  start_at          INTEGER NOT NULL,
  response_time_s   REAL    NOT NULL,
  deadline          INTEGER NOT NULL,
  end_at            INTEGER NOT NULL,
  program           TEXT    NOT NULL,
  state             TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  baseline_kw       REAL,
  target_kw         REAL,
  target_met_at     INTEGER,
  deadline_met      INTEGER NOT NULL DEFAULT 0,
  ended_at          INTEGER,
  CHECK ((reduce_by_kw IS NULL) <> (cap_site_kw IS NULL))
);
CREATE INDEX curtailment_events_by_site ON curtailment_events (site_id, start_at);
CREATE INDEX curtailment_events_by_state ON curtailment_events (state);

CREATE TABLE dispatch_commands (
  command_id               TEXT    NOT NULL PRIMARY KEY,
  event_id                 TEXT,
  rig_id                   TEXT    NOT NULL,
  action                   TEXT    NOT NULL,
  setpoint_power_w         REAL,
  issued_at                INTEGER NOT NULL,
  deadline                 INTEGER NOT NULL,
  expires_at               INTEGER NOT NULL,
  acked_at                 INTEGER,
  accepted                 INTEGER,
  ack_reason               TEXT,
  clamped                  INTEGER,
  applied_power_w          REAL,
  result_outcome           TEXT,
  result_measured_power_w  REAL,
  result_applied_power_w   REAL,
  result_observed_at       INTEGER,
  result_detail            TEXT
);
CREATE INDEX dispatch_commands_by_event ON dispatch_commands (event_id);

CREATE TABLE alarms (
  alarm_id     TEXT    NOT NULL PRIMARY KEY,
  rig_id       TEXT    NOT NULL,
  severity     TEXT    NOT NULL,
  code         TEXT    NOT NULL,
  message      TEXT    NOT NULL,
  raised_at    INTEGER NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX alarms_by_rig ON alarms (rig_id, raised_at);
