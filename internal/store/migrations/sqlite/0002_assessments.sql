-- Knowledge packs by content hash, so that any stored assessment can be
-- reproduced with exactly the pack it used; and the assessments of cases.

CREATE TABLE packs (
	hash       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	version    TEXT NOT NULL,
	files      BLOB NOT NULL, -- JSON object: path → file content
	created_at INTEGER NOT NULL
);

CREATE TABLE assessments (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	as_of       TEXT NOT NULL, -- YYYY-MM-DD
	known_as_of TEXT NOT NULL, -- YYYY-MM-DD
	pack_hash   TEXT NOT NULL REFERENCES packs (hash),
	pack_version TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	created_by  TEXT NOT NULL,
	result      BLOB NOT NULL -- sealed JSON: the assessment with its input facts
);
CREATE INDEX assessments_case ON assessments (case_id, id);

CREATE TRIGGER assessments_append_only_u BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER assessments_append_only_d BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
