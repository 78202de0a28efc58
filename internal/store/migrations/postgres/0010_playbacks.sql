-- Playback tokens: one showing of an evidence item's preview in one
-- browser session (docs/evidence.md, "Views and downloads"). The first
-- request for the content with a token logs the item's view; the later
-- (range) requests with it log nothing. state: new, logging (claimed by
-- the request that logs the view, at claimed_at), logged. Only the
-- token's hash is kept, and a token ends with its session.
CREATE TABLE playbacks (
	token_hash   TEXT PRIMARY KEY,
	session_hash TEXT NOT NULL REFERENCES sessions (token_hash) ON DELETE CASCADE,
	actor        TEXT NOT NULL,
	case_id      BIGINT NOT NULL REFERENCES cases (id),
	evidence_id  BIGINT NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
	state        TEXT NOT NULL,
	claimed_at   TIMESTAMPTZ,
	created_at   TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX playbacks_session ON playbacks (session_hash);
CREATE INDEX playbacks_expires ON playbacks (expires_at);
