-- 1-minute telemetry rollups and what retention needs. Applied by Flyway on SQLite and PostgreSQL.
--
-- A rollup row holds sums, not averages, so samples arriving late (an agent replaying its outbox
-- after an outage) are merged into their minute exactly once: each run rolls up, per rig, the
-- samples above the rig's mark and moves the mark, in one transaction (see TelemetryRollups).
CREATE TABLE telemetry_rollups (
  rig_id              TEXT              NOT NULL,
  -- Start of the minute (epoch ms, a multiple of 60000), by the samples' sampled_at.
  minute_start        BIGINT            NOT NULL,
  sample_count        BIGINT            NOT NULL,
  -- Power statistics use only samples whose power quality is GOOD or UNCERTAIN.
  power_count         BIGINT            NOT NULL,
  power_min_w         DOUBLE PRECISION,
  power_max_w         DOUBLE PRECISION,
  power_sum_w         DOUBLE PRECISION  NOT NULL,
  chip_temp_sum_c     DOUBLE PRECISION  NOT NULL,
  hashrate_sum_ths    DOUBLE PRECISION  NOT NULL,
  PRIMARY KEY (rig_id, minute_start)
) ${key_only_table};
CREATE INDEX telemetry_rollups_by_minute ON telemetry_rollups (minute_start);

-- Per rig: every sample with a sequence at or below this is in telemetry_rollups.
CREATE TABLE telemetry_rollup_marks (
  rig_id                   TEXT    NOT NULL PRIMARY KEY,
  rolled_through_sequence  BIGINT  NOT NULL
);

-- Retention deletes raw samples by age, in bounded batches.
CREATE INDEX telemetry_by_sampled_at ON telemetry (sampled_at);

-- The rollups as people read them: averages instead of sums.
CREATE VIEW telemetry_rollups_1m AS
SELECT rig_id,
       minute_start,
       sample_count,
       power_min_w,
       CASE WHEN power_count > 0 THEN power_sum_w / power_count END AS power_avg_w,
       power_max_w,
       chip_temp_sum_c / sample_count AS chip_temp_avg_c,
       hashrate_sum_ths / sample_count AS hashrate_avg_ths
FROM telemetry_rollups;
