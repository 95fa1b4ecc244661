-- Who did what, when, and how it ended: every grid event operation (accepted or refused) and every
-- command sent to a rig, with the rig's answer. Append-only; the id is a UUID so both databases
-- share one definition (no auto-increment dialects).
CREATE TABLE audit_log (
  audit_id     TEXT    NOT NULL PRIMARY KEY,
  occurred_at  BIGINT  NOT NULL,
  actor        TEXT    NOT NULL,
  actor_role   TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  subject      TEXT    NOT NULL,
  result       TEXT    NOT NULL,
  detail       TEXT    NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at);
