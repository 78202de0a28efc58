-- Knowledge packs by content hash, so that any stored assessment can be
-- reproduced with exactly the pack it used; and the assessments of cases.

CREATE TABLE packs (
	hash       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	version    TEXT NOT NULL,
	files      BYTEA NOT NULL, -- JSON object: path → file content
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE assessments (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id      BIGINT NOT NULL REFERENCES cases (id),
	as_of        TEXT NOT NULL, -- YYYY-MM-DD
	known_as_of  TEXT NOT NULL, -- YYYY-MM-DD
	pack_hash    TEXT NOT NULL REFERENCES packs (hash),
	pack_version TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	result       BYTEA NOT NULL -- sealed JSON: the assessment with its input facts
);
CREATE INDEX assessments_case ON assessments (case_id, id);

CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
