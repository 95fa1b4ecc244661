-- Flexrig controller schema, version 1. Applied by Flyway on SQLite and PostgreSQL alike.
-- Instants are BIGINT milliseconds since the epoch (UTC); units are part of every column name.
-- Only types both databases read the same way: TEXT, BIGINT, INTEGER (0/1 flags), DOUBLE PRECISION.

CREATE TABLE sites (
  site_id        TEXT    NOT NULL PRIMARY KEY,
  first_seen_at  BIGINT  NOT NULL
);

CREATE TABLE rigs (
  rig_id                          TEXT              NOT NULL PRIMARY KEY,
  site_id                         TEXT              NOT NULL REFERENCES sites (site_id),
  hardware_profile_id             TEXT              NOT NULL,
  agent_version                   TEXT              NOT NULL,
  nameplate_power_w               DOUBLE PRECISION  NOT NULL,
  nameplate_hashrate_ths          DOUBLE PRECISION  NOT NULL,
  nameplate_efficiency_j_per_th   DOUBLE PRECISION  NOT NULL,
  nameplate_sleep_power_w         DOUBLE PRECISION  NOT NULL,
  nameplate_ramp_w_per_s          DOUBLE PRECISION  NOT NULL,
  first_seen_at                   BIGINT            NOT NULL,
  last_hello_at                   BIGINT            NOT NULL
);
CREATE INDEX rigs_by_site ON rigs (site_id);

CREATE TABLE rig_capabilities (
  rig_id       TEXT              NOT NULL REFERENCES rigs (rig_id) ON DELETE CASCADE,
  method       TEXT              NOT NULL,
  min_power_w  DOUBLE PRECISION  NOT NULL,
  max_power_w  DOUBLE PRECISION  NOT NULL,
  latency_s    DOUBLE PRECISION  NOT NULL,
  PRIMARY KEY (rig_id, method)
);

-- One row per sample; the primary key makes a resent sample a no-op (ON CONFLICT DO NOTHING).
-- The placeholder is WITHOUT ROWID on SQLite (the key is the row) and empty on PostgreSQL.
CREATE TABLE telemetry (
  rig_id                  TEXT              NOT NULL,
  sequence                BIGINT            NOT NULL,
  sampled_at              BIGINT            NOT NULL,
  received_at             BIGINT            NOT NULL,
  power_w                 DOUBLE PRECISION  NOT NULL,
  power_quality           TEXT              NOT NULL,
  hashrate_ths            DOUBLE PRECISION  NOT NULL,
  chip_temp_max_c         DOUBLE PRECISION  NOT NULL,
  grid_frequency_hz       DOUBLE PRECISION  NOT NULL,
  state                   TEXT              NOT NULL,
  power_target_w          DOUBLE PRECISION  NOT NULL,
  PRIMARY KEY (rig_id, sequence)
) ${key_only_table};

CREATE TABLE curtailment_events (
  event_id          TEXT              NOT NULL PRIMARY KEY,
  site_id           TEXT              NOT NULL,
  request_id        TEXT              NOT NULL UNIQUE,
  reduce_by_kw      DOUBLE PRECISION,
  cap_site_kw       DOUBLE PRECISION,
  start_at          BIGINT            NOT NULL,
  response_time_s   DOUBLE PRECISION  NOT NULL,
  deadline          BIGINT            NOT NULL,
  end_at            BIGINT            NOT NULL,
  program           TEXT              NOT NULL,
  state             TEXT              NOT NULL,
  created_at        BIGINT            NOT NULL,
  baseline_kw       DOUBLE PRECISION,
  target_kw         DOUBLE PRECISION,
  target_met_at     BIGINT,
  deadline_met      INTEGER           NOT NULL DEFAULT 0,
  ended_at          BIGINT,
  CHECK ((reduce_by_kw IS NULL) <> (cap_site_kw IS NULL))
);
CREATE INDEX curtailment_events_by_site ON curtailment_events (site_id, start_at);
CREATE INDEX curtailment_events_by_state ON curtailment_events (state);

CREATE TABLE dispatch_commands (
  command_id               TEXT              NOT NULL PRIMARY KEY,
  event_id                 TEXT,
  rig_id                   TEXT              NOT NULL,
  action                   TEXT              NOT NULL,
  setpoint_power_w         DOUBLE PRECISION,
  issued_at                BIGINT            NOT NULL,
  deadline                 BIGINT            NOT NULL,
  expires_at               BIGINT            NOT NULL,
  acked_at                 BIGINT,
  accepted                 INTEGER,
  ack_reason               TEXT,
  clamped                  INTEGER,
  applied_power_w          DOUBLE PRECISION,
  result_outcome           TEXT,
  result_measured_power_w  DOUBLE PRECISION,
  result_applied_power_w   DOUBLE PRECISION,
  result_observed_at       BIGINT,
  result_detail            TEXT
);
CREATE INDEX dispatch_commands_by_event ON dispatch_commands (event_id);

CREATE TABLE alarms (
  alarm_id     TEXT    NOT NULL PRIMARY KEY,
  rig_id       TEXT    NOT NULL,
  severity     TEXT    NOT NULL,
  code         TEXT    NOT NULL,
  message      TEXT    NOT NULL,
  raised_at    BIGINT  NOT NULL,
  received_at  BIGINT  NOT NULL
);
CREATE INDEX alarms_by_rig ON alarms (rig_id, raised_at);
