-- Custody records are keyed by the custody log they belong to, named by
-- its origin (the log key's name): two logs can never write over each
-- other's rows. (A second instance with a log of its own is refused at
-- start; see app.CheckCustody.) The rows already here belong to the one
-- log this database has known, whose origin is the first line of the
-- checkpoint recorded for it.

ALTER TABLE custody_state ADD COLUMN origin TEXT;
UPDATE custody_state SET origin = split_part(convert_from(checkpoint, 'UTF8'), E'\n', 1);
ALTER TABLE custody_state DROP COLUMN id;
ALTER TABLE custody_state ALTER COLUMN origin SET NOT NULL;
ALTER TABLE custody_state ADD PRIMARY KEY (origin);

ALTER TABLE custody_events ADD COLUMN origin TEXT NOT NULL DEFAULT '';
UPDATE custody_events SET origin = COALESCE((SELECT origin FROM custody_state), '');
ALTER TABLE custody_events ALTER COLUMN origin DROP DEFAULT;
ALTER TABLE custody_events DROP CONSTRAINT custody_events_pkey;
ALTER TABLE custody_events ADD PRIMARY KEY (origin, log_index);
