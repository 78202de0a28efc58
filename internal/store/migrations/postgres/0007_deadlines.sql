-- Deadlines of a case: a due date and what is due (sealed with the case's
-- data key, like notes); done once, never removed.
CREATE TABLE deadlines (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id    BIGINT NOT NULL REFERENCES cases (id),
	due        TEXT NOT NULL,
	label      BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	done_at    TIMESTAMPTZ,
	done_by    TEXT
);
CREATE INDEX deadlines_case ON deadlines (case_id, due);
CREATE TRIGGER deadlines_no_delete BEFORE DELETE ON deadlines
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
