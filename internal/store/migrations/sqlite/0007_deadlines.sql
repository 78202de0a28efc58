-- Deadlines of a case: a due date and what is due (sealed with the case's
-- data key, like notes); done once, never removed.
CREATE TABLE deadlines (
	id         INTEGER PRIMARY KEY,
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	due        TEXT NOT NULL,
	label      BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	done_at    INTEGER,
	done_by    TEXT
);
CREATE INDEX deadlines_case ON deadlines (case_id, due);
CREATE TRIGGER deadlines_no_delete BEFORE DELETE ON deadlines
	BEGIN SELECT RAISE(ABORT, 'deadlines are kept'); END;
