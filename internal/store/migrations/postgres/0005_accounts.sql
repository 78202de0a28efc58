-- Staff accounts, how people sign in, client invitations, break-glass
-- access, and the audit trail. Times are timestamptz.
-- Tokens and codes are kept only as SHA-256 hashes; a TOTP secret is sealed
-- with an instance secret. Client data never enters these tables: a client
-- has no account, only an invitation to their case.

CREATE TABLE users (
	id             BIGSERIAL PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	role           TEXT NOT NULL,
	language       TEXT NOT NULL,
	status         TEXT NOT NULL,
	password_hash  TEXT,
	totp_secret    BYTEA,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	failures       BIGINT NOT NULL DEFAULT 0,
	locked_until   TIMESTAMPTZ,
	created_at     TIMESTAMPTZ NOT NULL,
	created_by     TEXT NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);

-- One-time account setup links.
CREATE TABLE setup_links (
	token_hash TEXT PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	created_by TEXT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX setup_links_user ON setup_links (user_id);

CREATE TABLE recovery_codes (
	user_id   BIGINT NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	used_at   TIMESTAMPTZ,
	PRIMARY KEY (user_id, code_hash)
);

-- Passkeys (WebAuthn credentials) as second factors.
CREATE TABLE webauthn_credentials (
	id           BYTEA PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	credential   BYTEA NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- A client's way in: an expiring link to their one case.
CREATE TABLE invitations (
	id           BIGSERIAL PRIMARY KEY,
	case_id      BIGINT NOT NULL REFERENCES cases (id),
	token_hash   TEXT NOT NULL UNIQUE,
	language     TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	created_by   TEXT NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL,
	revoked_at   TIMESTAMPTZ,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX invitations_case ON invitations (case_id);

-- Browser sessions, of a staff account or of a client's invitation.
-- stage: second_factor (password given), enroll (must set up a second
-- factor first), full.
CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,
	user_id       BIGINT REFERENCES users (id),
	invitation_id BIGINT REFERENCES invitations (id),
	stage         TEXT NOT NULL,
	csrf_token    TEXT NOT NULL,
	challenge     BYTEA,
	created_at    TIMESTAMPTZ NOT NULL,
	last_seen_at  TIMESTAMPTZ NOT NULL,
	expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_invitation ON sessions (invitation_id);

CREATE TABLE api_tokens (
	id           BIGSERIAL PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins by address, kept for the per-address limit's window.
CREATE TABLE login_failures (
	address TEXT NOT NULL,
	at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- An admin's time-limited access to a case not theirs; the reason is
-- sealed with the case's data key.
CREATE TABLE break_glass (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	case_id    BIGINT NOT NULL REFERENCES cases (id),
	reason     BYTEA NOT NULL,
	granted_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX break_glass_user_case ON break_glass (user_id, case_id, expires_at);

-- The audit trail: every access to client data, allowed or denied. Each
-- entry's hash covers the previous entry's hash (audit_head holds the
-- latest), and heads are anchored in the custody log (audit_anchors).
CREATE TABLE audit_log (
	seq       BIGINT PRIMARY KEY,
	at        TIMESTAMPTZ NOT NULL,
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
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_anchors (
	seq       BIGINT PRIMARY KEY,
	hash      TEXT NOT NULL,
	log_index BIGINT NOT NULL,
	at        TIMESTAMPTZ NOT NULL
);
