package store

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// indexKeyCache holds the name-index key once it has been read from a
// committed row.
type indexKeyCache struct {
	mu  sync.Mutex
	key []byte
}

func (c *indexKeyCache) get() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.key
}

func (c *indexKeyCache) set(key []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.key = key
}

const nameIndexSecret = "name-index"

// nameIndexKey returns the instance's name-index key, making it on first
// use (wrapped to the vault key, in instance_secrets). A key made in this
// transaction stays with it until commit, so a rolled-back transaction
// leaves no key behind in the process that is not in the database. Two
// transactions making it at once agree on one: the second insert does
// nothing and reads the first's.
func (tx *Tx) nameIndexKey(ctx context.Context, create bool) ([]byte, error) {
	if tx.indexKey != nil {
		return tx.indexKey, nil
	}
	if k := tx.db.indexKey.get(); k != nil {
		return k, nil
	}
	wrapped, err := tx.readIndexKey(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows) && !create:
		return nil, nil // no case was ever indexed: nothing can match
	case errors.Is(err, sql.ErrNoRows):
		return tx.newIndexKey(ctx)
	case err != nil:
		return nil, fmt.Errorf("store: read the name-index key: %w", err)
	}
	key, err := tx.db.keyring.UnwrapSecret(wrapped)
	if err != nil {
		return nil, fmt.Errorf("store: unwrap the name-index key: %w", err)
	}
	tx.db.indexKey.set(key)
	return key, nil
}

func (tx *Tx) readIndexKey(ctx context.Context) ([]byte, error) {
	var wrapped []byte
	err := tx.queryRow(ctx, `SELECT wrapped FROM instance_secrets WHERE name = ?`, nameIndexSecret).Scan(&wrapped)
	return wrapped, err
}

func (tx *Tx) newIndexKey(ctx context.Context) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	wrapped, err := tx.db.keyring.WrapSecret(key)
	if err != nil {
		return nil, err
	}
	_, err = tx.exec(ctx, `INSERT INTO instance_secrets (name, wrapped, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, nameIndexSecret, wrapped, tx.timeArg())
	if err != nil {
		return nil, fmt.Errorf("store: store the name-index key: %w", err)
	}
	stored, err := tx.readIndexKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: read the name-index key: %w", err)
	}
	if !bytes.Equal(stored, wrapped) { // another transaction made it first
		if key, err = tx.db.keyring.UnwrapSecret(stored); err != nil {
			return nil, fmt.Errorf("store: unwrap the name-index key: %w", err)
		}
	}
	tx.indexKey = key
	return key, nil
}

// NormalizeName is the form names are indexed and looked up in: Unicode
// NFC, lower case, ё as е, single spaces.
func NormalizeName(s string) string {
	s = strings.ToLower(norm.NFC.String(s))
	s = strings.ReplaceAll(s, "ё", "е")
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

func token(key []byte, name string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(NormalizeName(name)))
	return hex.EncodeToString(m.Sum(nil))
}

// indexedNames are the forms of a person's name that an exact lookup
// finds: in each script, "family given patronymic" and "family given".
func indexedNames(id casefile.Identity) []string {
	var out []string
	for _, n := range []casefile.Name{id.NameLatin, id.NameCyrillic} {
		for _, s := range []string{n.String(), casefile.Name{Family: n.Family, Given: n.Given}.String()} {
			if s = NormalizeName(s); s != "" && !contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// writeNameIndex replaces the case's entries in the blind index.
func (tx *Tx) writeNameIndex(ctx context.Context, c *casefile.Case) error {
	key, err := tx.nameIndexKey(ctx, true)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM case_name_index WHERE case_id = ?`, c.ID); err != nil {
		return fmt.Errorf("store: name index: %w", err)
	}
	for _, n := range indexedNames(c.Person.Identity) {
		if _, err := tx.exec(ctx, `INSERT INTO case_name_index (case_id, token) VALUES (?, ?)`, c.ID, token(key, n)); err != nil {
			return fmt.Errorf("store: name index: %w", err)
		}
	}
	return nil
}

// NameToken is the blind-index token of a name, for CaseFilter.NameToken;
// "" when no name was ever indexed.
func (tx *Tx) NameToken(ctx context.Context, name string) (string, error) {
	key, err := tx.nameIndexKey(ctx, false)
	if err != nil || key == nil {
		return "", err
	}
	return token(key, name), nil
}
