-- Evidence objects are named by a random ID, no longer by the SHA-256 of
-- their ciphertext (docs/evidence.md, "Why objects are not named by their
-- hash"). Objects stored earlier keep their names: a name is only an ID.
ALTER TABLE evidence RENAME COLUMN cipher_sha256 TO object_id;
