package store

import (
	"context"
	"io/fs"
)

// MigrationFS exposes the embedded migrations to tests.
func MigrationFS() fs.FS { return migrations }

// ExecForTest runs a raw statement, for tests that check what the schema
// refuses.
func (tx *Tx) ExecForTest(ctx context.Context, q string) error {
	_, err := tx.exec(ctx, q)
	return err
}

// WrappedKeyForTest returns the case's wrapped data key as stored (nil
// once destroyed).
func (db *DB) WrappedKeyForTest(ctx context.Context, caseID int64) (w []byte, err error) {
	err = db.read.QueryRowContext(ctx, db.dialect.rebind(`SELECT wrapped FROM case_data_keys WHERE case_id = ?`), caseID).Scan(&w)
	return
}

// PragmaForTest reads a PRAGMA on the writer connection and on a reader.
func (db *DB) PragmaForTest(ctx context.Context, name string) (writer, reader string, err error) {
	if err = db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&writer); err != nil {
		return
	}
	err = db.read.QueryRowContext(ctx, "PRAGMA "+name).Scan(&reader)
	return
}

// MaxWriteConnsForTest is the writer pool's connection limit.
func (db *DB) MaxWriteConnsForTest() int { return db.write.Stats().MaxOpenConnections }

// MigrateThroughForTest applies the migrations up to and including last,
// as a database of an older version would have them.
func (db *DB) MigrateThroughForTest(ctx context.Context, last string) error {
	names, err := db.dialect.migrationNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if name > last {
			break
		}
		if _, err := db.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}
