-- Cases, their facts, notes and timeline.
-- Columns named identity, value, body and detail hold client data and are
-- written through the store's Sealer; the database never sees inside them.

CREATE TABLE cases (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reference    TEXT NOT NULL UNIQUE,
	status       TEXT NOT NULL,
	identity     BYTEA NOT NULL,
	citizenships TEXT NOT NULL, -- JSON array of ISO 3166-1 codes
	languages    TEXT NOT NULL, -- JSON array of ISO 639-1 codes
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL,
	version      BIGINT NOT NULL
);
CREATE INDEX cases_status ON cases (status, id);

CREATE TABLE case_destinations (
	case_id  BIGINT NOT NULL REFERENCES cases (id),
	country  TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (case_id, country)
);
CREATE INDEX case_destinations_country ON case_destinations (country, case_id);

CREATE TABLE case_assignees (
	case_id  BIGINT NOT NULL REFERENCES cases (id),
	name     TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (case_id, name)
);
CREATE INDEX case_assignees_name ON case_assignees (name, case_id);

-- The last reference number handed out per year.
CREATE TABLE case_counters (
	year INTEGER PRIMARY KEY,
	last BIGINT NOT NULL
);

-- The current state of each fact that has been asked.
CREATE TABLE facts (
	case_id     BIGINT NOT NULL REFERENCES cases (id),
	name        TEXT NOT NULL,
	state       TEXT NOT NULL,
	value       BYTEA,
	source      TEXT NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL,
	recorded_by TEXT NOT NULL,
	PRIMARY KEY (case_id, name)
);

-- Every state each fact has had, including clearing (state 'not_asked').
CREATE TABLE fact_history (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id     BIGINT NOT NULL REFERENCES cases (id),
	name        TEXT NOT NULL,
	state       TEXT NOT NULL,
	value       BYTEA,
	source      TEXT NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL,
	recorded_by TEXT NOT NULL
);
CREATE INDEX fact_history_case ON fact_history (case_id, name, id);

CREATE TABLE notes (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id    BIGINT NOT NULL REFERENCES cases (id),
	body       BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX notes_case ON notes (case_id, id);

CREATE TABLE timeline (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases (id),
	at      TIMESTAMPTZ NOT NULL,
	actor   TEXT NOT NULL,
	kind    TEXT NOT NULL,
	detail  BYTEA NOT NULL
);
CREATE INDEX timeline_case ON timeline (case_id, id);

-- History, notes and the timeline are append-only.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER fact_history_append_only BEFORE UPDATE OR DELETE ON fact_history
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER notes_append_only BEFORE UPDATE OR DELETE ON notes
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER timeline_append_only BEFORE UPDATE OR DELETE ON timeline
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
