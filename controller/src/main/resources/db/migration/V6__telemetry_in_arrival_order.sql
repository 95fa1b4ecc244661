-- Raw telemetry stored in arrival order (helper "ingest"). Same SQL on SQLite and PostgreSQL.
--
-- V1 made telemetry a WITHOUT ROWID table on SQLite: the rows themselves sorted by (rig_id,
-- sequence). Every insert then lands in its rig's part of the table, so a transaction of N rigs'
-- samples rewrites about N full table pages (4 KiB each) into the write-ahead log, however few
-- samples each rig sent; with a thousand rigs that is over 1 KiB of log per 100-byte sample. Here
-- the rows go to a rowid table, appended in arrival order (a transaction fills a few pages at the
-- end), and (rig_id, sequence) stays the primary key as a separate, much smaller index, which is
-- all exactly-once needs (ON CONFLICT (rig_id, sequence) DO NOTHING). On PostgreSQL the table was
-- a heap already; this only rewrites it.
CREATE TABLE telemetry_arrivals (
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
);

INSERT INTO telemetry_arrivals (rig_id, sequence, sampled_at, received_at, power_w, power_quality,
                                hashrate_ths, chip_temp_max_c, grid_frequency_hz, state,
                                power_target_w)
SELECT rig_id, sequence, sampled_at, received_at, power_w, power_quality, hashrate_ths,
       chip_temp_max_c, grid_frequency_hz, state, power_target_w
FROM telemetry
ORDER BY received_at, rig_id, sequence;

-- Drops its index telemetry_by_sampled_at (V3) with it; made again below.
DROP TABLE telemetry;
ALTER TABLE telemetry_arrivals RENAME TO telemetry;
CREATE INDEX telemetry_by_sampled_at ON telemetry (sampled_at);
