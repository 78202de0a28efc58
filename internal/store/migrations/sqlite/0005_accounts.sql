-- Staff accounts, how people sign in, client invitations, break-glass
-- access, and the audit trail. Times are INTEGER microseconds since 1970 UTC.
-- Tokens and codes are kept only as SHA-256 hashes; a TOTP secret is sealed
-- with an instance secret. Client data never enters these tables: a client
-- has no account, only an invitation to their case.

CREATE TABLE users (
	id             INTEGER PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	role           TEXT NOT NULL,
	language       TEXT NOT NULL,
	status         TEXT NOT NULL,
	password_hash  TEXT,
	totp_secret    BLOB,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	failures       INTEGER NOT NULL DEFAULT 0,
	locked_until   INTEGER,
	created_at     INTEGER NOT NULL,
	created_by     TEXT NOT NULL,
	updated_at     INTEGER NOT NULL
);

-- One-time account setup links.
CREATE TABLE setup_links (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX setup_links_user ON setup_links (user_id);

CREATE TABLE recovery_codes (
	user_id   INTEGER NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at   INTEGER,
	PRIMARY KEY (user_id, code_hash)
);

-- Passkeys (WebAuthn credentials) as second factors.
CREATE TABLE webauthn_credentials (
	id           BLOB PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	credential   BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- A client's way in: an expiring link to their one case.
CREATE TABLE invitations (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	token_hash   TEXT NOT NULL UNIQUE,
	language     TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	created_by   TEXT NOT NULL,
	expires_at   INTEGER NOT NULL,
	revoked_at   INTEGER,
	last_used_at INTEGER
);
CREATE INDEX invitations_case ON invitations (case_id);

-- Browser sessions, of a staff account or of a client's invitation.
-- stage: second_factor (password given), enroll (must set up a second
-- factor first), full.
CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,
	user_id       INTEGER REFERENCES users (id),
	invitation_id INTEGER REFERENCES invitations (id),
	stage         TEXT NOT NULL,
	csrf_token    TEXT NOT NULL,
	challenge     BLOB,
	created_at    INTEGER NOT NULL,
	last_seen_at  INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_invitation ON sessions (invitation_id);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins by address, kept for the per-address limit's window.
CREATE TABLE login_failures (
	address TEXT NOT NULL,
	at      INTEGER NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- An admin's time-limited access to a case not theirs; the reason is
-- sealed with the case's data key.
CREATE TABLE break_glass (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	reason     BLOB NOT NULL,
	granted_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX break_glass_user_case ON break_glass (user_id, case_id, expires_at);

-- The audit trail: every access to client data, allowed or denied. Each
-- entry's hash covers the previous entry's hash (audit_head holds the
-- latest), and heads are anchored in the custody log (audit_anchors).
CREATE TABLE audit_log (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	role      TEXT NOT NULL,
	via       TEXT NOT NULL,
	action    TEXT NOT NULL,
	outcome   TEXT NOT NULL,
	case_ref  TEXT NOT NULL,
	object    TEXT NOT NULL,
	detail    TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_case ON audit_log (case_ref, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
	BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
	BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_anchors (
	seq       INTEGER PRIMARY KEY,
	hash      TEXT NOT NULL,
	log_index INTEGER NOT NULL,
	at        INTEGER NOT NULL
);
