-- Dispatch plans and compliance records (helper "compliance"). Same rules as V1: BIGINT epoch
-- milliseconds, units in column names, types both SQLite and PostgreSQL read the same way.

-- A setpoint schedule target: the kind (CAP or REDUCE) and its steps as "epoch_ms=kw" separated
-- by ';'. The kind's V1 column (cap_site_kw or reduce_by_kw) holds the first step's kW, which
-- keeps V1's exactly-one-target CHECK true without rebuilding the table.
ALTER TABLE curtailment_events ADD COLUMN schedule_kind TEXT;
ALTER TABLE curtailment_events ADD COLUMN schedule_steps TEXT;

-- Every plan the dispatcher made for an event: the target and site power it planned from, what
-- it expected, and the setpoints it changed.
CREATE TABLE dispatch_plans (
  plan_id           TEXT              NOT NULL PRIMARY KEY,
  event_id          TEXT              NOT NULL,
  planned_at        BIGINT            NOT NULL,
  target_w          DOUBLE PRECISION  NOT NULL,
  site_w            DOUBLE PRECISION  NOT NULL,
  aim_w             DOUBLE PRECISION  NOT NULL,
  expected_site_w   DOUBLE PRECISION  NOT NULL,
  shortfall_w       DOUBLE PRECISION  NOT NULL,
  setpoints         INTEGER           NOT NULL,
  skipped           INTEGER           NOT NULL
);
CREATE INDEX dispatch_plans_by_event ON dispatch_plans (event_id, planned_at);

CREATE TABLE dispatch_plan_setpoints (
  plan_id      TEXT              NOT NULL REFERENCES dispatch_plans (plan_id) ON DELETE CASCADE,
  rig_id       TEXT              NOT NULL,
  kind         TEXT              NOT NULL,
  power_w      DOUBLE PRECISION,
  PRIMARY KEY (plan_id, rig_id)
);

-- The final compliance report of an ended event, kept after raw telemetry is pruned.
CREATE TABLE compliance_reports (
  event_id                TEXT              NOT NULL PRIMARY KEY,
  generated_at            BIGINT            NOT NULL,
  delta_baseline          TEXT              NOT NULL,
  pre_event_baseline_kw   DOUBLE PRECISION  NOT NULL,
  like_days_used          INTEGER           NOT NULL
);

-- One row per 15-minute interval of an event.
CREATE TABLE compliance_intervals (
  event_id                TEXT              NOT NULL REFERENCES compliance_reports (event_id)
                                              ON DELETE CASCADE,
  interval_start          BIGINT            NOT NULL,
  interval_end            BIGINT            NOT NULL,
  covered_s               DOUBLE PRECISION  NOT NULL,
  pre_event_baseline_kw   DOUBLE PRECISION  NOT NULL,
  like_days_baseline_kw   DOUBLE PRECISION,
  measured_kw             DOUBLE PRECISION,
  target_kw               DOUBLE PRECISION  NOT NULL,
  PRIMARY KEY (event_id, interval_start)
);

-- Each rig's power before and during an event.
CREATE TABLE compliance_rig_contributions (
  event_id    TEXT              NOT NULL REFERENCES compliance_reports (event_id)
                                  ON DELETE CASCADE,
  rig_id      TEXT              NOT NULL,
  before_kw   DOUBLE PRECISION  NOT NULL,
  during_kw   DOUBLE PRECISION  NOT NULL,
  PRIMARY KEY (event_id, rig_id)
);
