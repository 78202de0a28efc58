-- Custody events about a case as a whole whose deed is already done in the
-- database — a shred — and that must therefore reach the custody log even
-- if the process dies first: written in the deed's transaction, appended
-- to the log and removed afterwards; recovery appends what a crash left.
CREATE TABLE pending_custody_events (
	id         INTEGER PRIMARY KEY,
	origin     TEXT NOT NULL,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	type       TEXT NOT NULL,
	event      BLOB NOT NULL,
	created_at INTEGER NOT NULL
);
