-- Roles whose accounts must sign in with a passkey (WebAuthn, which a
-- phishing site cannot relay): for them a TOTP code or a recovery code no
-- longer completes a sign-in. A row is the requirement; no row, none.
CREATE TABLE passkey_roles (
	role   TEXT PRIMARY KEY,
	set_at INTEGER NOT NULL,
	set_by TEXT NOT NULL
);

-- One-time links the operator hands out (and the setup of an account whose
-- role requires a passkey makes) to register a passkey: with the link and
-- the account's password, the person gets a session that can do nothing
-- but register one. Kept only as the token's SHA-256.
CREATE TABLE passkey_links (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX passkey_links_user ON passkey_links (user_id);
