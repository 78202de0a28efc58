-- Custody records are keyed by the custody log they belong to, named by
-- its origin (the log key's name): two logs can never write over each
-- other's rows. (A second instance with a log of its own is refused at
-- start; see app.CheckCustody.) The rows already here belong to the one
-- log this database has known, whose origin is the first line of the
-- checkpoint recorded for it.

CREATE TABLE custody_state_by_origin (
	origin     TEXT PRIMARY KEY, -- the log's origin line
	size       INTEGER NOT NULL,
	root       TEXT NOT NULL,
	checkpoint BLOB NOT NULL,
	updated_at INTEGER NOT NULL
);
INSERT INTO custody_state_by_origin (origin, size, root, checkpoint, updated_at)
	SELECT substr(CAST(checkpoint AS TEXT), 1, instr(CAST(checkpoint AS TEXT), char(10)) - 1), size, root, checkpoint, updated_at
	FROM custody_state;
DROP TABLE custody_state;
ALTER TABLE custody_state_by_origin RENAME TO custody_state;

CREATE TABLE custody_events_by_origin (
	origin      TEXT NOT NULL,
	log_index   INTEGER NOT NULL,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	evidence_id INTEGER REFERENCES evidence (id),
	type        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	at          INTEGER NOT NULL,
	PRIMARY KEY (origin, log_index)
);
INSERT INTO custody_events_by_origin (origin, log_index, case_id, evidence_id, type, hash, at)
	SELECT COALESCE((SELECT origin FROM custody_state), ''), log_index, case_id, evidence_id, type, hash, at
	FROM custody_events;
DROP TABLE custody_events;
ALTER TABLE custody_events_by_origin RENAME TO custody_events;
CREATE INDEX custody_events_item ON custody_events (evidence_id, log_index);
