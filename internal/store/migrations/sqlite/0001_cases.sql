-- Cases, their facts, notes and timeline.
-- Times are INTEGER microseconds since 1970-01-01 UTC.
-- Columns named identity, value, body and detail hold client data and are
-- written through the store's Sealer; the database never sees inside them.

CREATE TABLE cases (
	id           INTEGER PRIMARY KEY,
	reference    TEXT NOT NULL UNIQUE,
	status       TEXT NOT NULL,
	identity     BLOB NOT NULL,
	citizenships TEXT NOT NULL, -- JSON array of ISO 3166-1 codes
	languages    TEXT NOT NULL, -- JSON array of ISO 639-1 codes
	created_at   INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   INTEGER NOT NULL,
	version      INTEGER NOT NULL
);
CREATE INDEX cases_status ON cases (status, id);

CREATE TABLE case_destinations (
	case_id  INTEGER NOT NULL REFERENCES cases (id),
	country  TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (case_id, country)
);
CREATE INDEX case_destinations_country ON case_destinations (country, case_id);

CREATE TABLE case_assignees (
	case_id  INTEGER NOT NULL REFERENCES cases (id),
	name     TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (case_id, name)
);
CREATE INDEX case_assignees_name ON case_assignees (name, case_id);

-- The last reference number handed out per year.
CREATE TABLE case_counters (
	year INTEGER PRIMARY KEY,
	last INTEGER NOT NULL
);

-- The current state of each fact that has been asked.
CREATE TABLE facts (
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	name        TEXT NOT NULL,
	state       TEXT NOT NULL,
	value       BLOB,
	source      TEXT NOT NULL,
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	PRIMARY KEY (case_id, name)
);

-- Every state each fact has had, including clearing (state 'not_asked').
CREATE TABLE fact_history (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	name        TEXT NOT NULL,
	state       TEXT NOT NULL,
	value       BLOB,
	source      TEXT NOT NULL,
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT NOT NULL
);
CREATE INDEX fact_history_case ON fact_history (case_id, name, id);

CREATE TABLE notes (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	body       BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX notes_case ON notes (case_id, id);

CREATE TABLE timeline (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	kind    TEXT NOT NULL,
	detail  BLOB NOT NULL
);
CREATE INDEX timeline_case ON timeline (case_id, id);

-- History, notes and the timeline are append-only.
CREATE TRIGGER fact_history_append_only_u BEFORE UPDATE ON fact_history
BEGIN SELECT RAISE(ABORT, 'fact_history is append-only'); END;
CREATE TRIGGER fact_history_append_only_d BEFORE DELETE ON fact_history
BEGIN SELECT RAISE(ABORT, 'fact_history is append-only'); END;
CREATE TRIGGER notes_append_only_u BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER notes_append_only_d BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;
CREATE TRIGGER timeline_append_only_u BEFORE UPDATE ON timeline
BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;
CREATE TRIGGER timeline_append_only_d BEFORE DELETE ON timeline
BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;
