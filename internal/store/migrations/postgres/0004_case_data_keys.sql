-- Each case's data key: it encrypts the case's client data in this database
-- (identity, fact values, notes, timeline details, assessments, evidence
-- descriptions). Kept only wrapped to the vault key; NULL once destroyed.
CREATE TABLE case_data_keys (
	case_id      BIGINT PRIMARY KEY REFERENCES cases (id),
	wrapped      BYTEA,
	created_at   TIMESTAMPTZ NOT NULL,
	destroyed_at TIMESTAMPTZ
);

-- A keyed blind index of names: exact-name lookup without any name in the
-- clear. token = HMAC-SHA256(index key, normalised name), hex.
CREATE TABLE case_name_index (
	case_id BIGINT NOT NULL REFERENCES cases (id),
	token   TEXT NOT NULL,
	PRIMARY KEY (case_id, token)
);
CREATE INDEX case_name_index_token ON case_name_index (token);

-- Secrets of the instance (the name-index key), wrapped to the vault key.
CREATE TABLE instance_secrets (
	name       TEXT PRIMARY KEY,
	wrapped    BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
