-- Evidence: case keys (wrapped to the vault key), items, their custody
-- events, and the highest custody-log checkpoint this instance has seen.

CREATE TABLE case_keys (
	case_id     BIGINT PRIMARY KEY REFERENCES cases (id),
	recipient   TEXT NOT NULL,    -- the case's age public key
	wrapped     BYTEA,             -- the case identity, age-encrypted to the vault key; NULL once shredded
	tag         TEXT NOT NULL,    -- pseudonym of the case in the custody log (hex)
	created_at  TIMESTAMPTZ NOT NULL,
	shredded_at TIMESTAMPTZ
);

CREATE TABLE evidence (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_id        BIGINT NOT NULL REFERENCES cases (id),
	state          TEXT NOT NULL,  -- pending until its ingest event is in the log, then committed
	kind           TEXT NOT NULL,
	document_date  TEXT,
	obtained_at    TEXT,
	language       TEXT NOT NULL,
	translation_of BIGINT REFERENCES evidence (id),
	derived_from   BIGINT REFERENCES evidence (id), -- a working copy made from that item (metadata stripped)
	size           BIGINT NOT NULL,
	cipher_sha256  TEXT NOT NULL,
	commitment     TEXT NOT NULL,
	log_index      BIGINT,
	last_event     TEXT NOT NULL,
	pending_event  BYTEA,           -- the encoded ingest event while pending
	secret         BYTEA NOT NULL,  -- title, obtained_from, original_name, plain_sha256, salt: age-encrypted to the case key
	created_at     TIMESTAMPTZ NOT NULL,
	created_by     TEXT NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id, id);

CREATE TABLE evidence_facts (
	evidence_id BIGINT NOT NULL REFERENCES evidence (id),
	fact        TEXT NOT NULL,
	PRIMARY KEY (evidence_id, fact)
);

CREATE TABLE custody_events (
	log_index   BIGINT PRIMARY KEY,
	case_id     BIGINT NOT NULL REFERENCES cases (id),
	evidence_id BIGINT REFERENCES evidence (id),
	type        TEXT NOT NULL,
	hash        TEXT NOT NULL,
	at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX custody_events_item ON custody_events (evidence_id, log_index);

CREATE TABLE custody_state (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	size       BIGINT NOT NULL,
	root       TEXT NOT NULL,
	checkpoint BYTEA NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
