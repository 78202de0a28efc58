package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/sanctuary-platform/sanctuary"
)

// Keyring wraps and unwraps the keys the store keeps: the instance's vault
// key does it (vault.Key). It is the store's one dependency on keys.
type Keyring interface {
	WrapSecret(secret []byte) ([]byte, error)
	UnwrapSecret(wrapped []byte) ([]byte, error)
}

// ErrKeyDestroyed is returned when client data of a case whose key was
// destroyed (shredded) is read.
var ErrKeyDestroyed = &sanctuary.Error{Code: sanctuary.ECONFLICT,
	Message: "the case's key was destroyed: its client data can no longer be read"}

// sealVersion starts every sealed value: XChaCha20-Poly1305 under the case's
// data key, with a random nonce, bound to the case.
const sealVersion = 1

// seal encodes v as JSON and seals it for the case.
func (tx *Tx) seal(ctx context.Context, caseID int64, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	return tx.sealBytes(ctx, caseID, b)
}

// open unseals data of the case and decodes its JSON into v.
func (tx *Tx) open(ctx context.Context, caseID int64, sealed []byte, v any) error {
	b, err := tx.openBytes(ctx, caseID, sealed)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode sealed data of case %d: %w", caseID, err)
	}
	return nil
}

// sealBytes encrypts client data of a case with its data key, making the
// key on first use.
func (tx *Tx) sealBytes(ctx context.Context, caseID int64, plaintext []byte) ([]byte, error) {
	aead, err := tx.dataKey(ctx, caseID, true)
	if err != nil {
		return nil, err
	}
	return seal(aead, caseID, plaintext)
}

// seal encrypts one value of a case: version ‖ random nonce ‖ ciphertext.
func seal(aead aeadCipher, caseID int64, plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[1:], plaintext, caseAD(caseID)), nil
}

// openBytes decrypts client data of a case. It returns ErrKeyDestroyed if
// the case's key was destroyed.
func (tx *Tx) openBytes(ctx context.Context, caseID int64, sealed []byte) ([]byte, error) {
	aead, err := tx.dataKey(ctx, caseID, false)
	if err != nil {
		return nil, err
	}
	return unseal(aead, caseID, sealed)
}

// unseal checks and decrypts one sealed value of a case.
func unseal(aead aeadCipher, caseID int64, sealed []byte) ([]byte, error) {
	n := 1 + aead.NonceSize()
	if len(sealed) < n+aead.Overhead() || sealed[0] != sealVersion {
		return nil, fmt.Errorf("store: sealed data of case %d is malformed", caseID)
	}
	p, err := aead.Open(nil, sealed[1:n], sealed[n:], caseAD(caseID))
	if err != nil {
		return nil, fmt.Errorf("store: sealed data of case %d does not open (tampered, or moved from another case)", caseID)
	}
	return p, nil
}

// caseAD binds a sealed value to its case, so that it cannot be moved to
// another case's row.
func caseAD(caseID int64) []byte { return []byte("sanctuary/case/" + strconv.FormatInt(caseID, 10)) }

// dataKey returns the case's data key as an AEAD: from this transaction's
// cache, else read and unwrapped (each wrapped key once per process), else,
// when create is set and the case has none, a new one.
func (tx *Tx) dataKey(ctx context.Context, caseID int64, create bool) (aeadCipher, error) {
	if _, ok := tx.keys[caseID]; !ok {
		if err := tx.loadKeys(ctx, []int64{caseID}); err != nil {
			return nil, err
		}
	}
	a, ok := tx.keys[caseID]
	switch {
	case ok && a == nil:
		return nil, ErrKeyDestroyed
	case ok:
		return a, nil
	case create:
		return tx.newDataKey(ctx, caseID)
	}
	return nil, fmt.Errorf("store: case %d has no data key", caseID)
}

// loadKeys reads the data keys of the cases into the transaction's cache
// (nil for a destroyed key). Readers call it before they iterate over rows,
// because a PostgreSQL connection runs one query at a time.
func (tx *Tx) loadKeys(ctx context.Context, caseIDs []int64) error {
	var ids []any
	for _, id := range caseIDs {
		if _, ok := tx.keys[id]; !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	wrapped, err := tx.readWrapped(ctx, ids)
	if err != nil {
		return err
	}
	for id, w := range wrapped {
		if w == nil {
			tx.keys[id] = nil
			continue
		}
		key, err := tx.db.unwrapCached(w)
		if err != nil {
			return err
		}
		if _, err := tx.cacheKey(id, key); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) readWrapped(ctx context.Context, ids []any) (map[int64][]byte, error) {
	rows, err := tx.query(ctx, `SELECT case_id, wrapped FROM case_data_keys WHERE case_id IN (`+placeholders(len(ids))+`)`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: read data keys: %w", err)
	}
	defer rows.Close()
	out := make(map[int64][]byte, len(ids))
	for rows.Next() {
		var id int64
		var w []byte
		if err := rows.Scan(&id, &w); err != nil {
			return nil, fmt.Errorf("store: read data keys: %w", err)
		}
		out[id] = w
	}
	return out, rows.Err()
}

func (tx *Tx) newDataKey(ctx context.Context, caseID int64) (aeadCipher, error) {
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	wrapped, err := tx.db.keyring.WrapSecret(key)
	if err != nil {
		return nil, fmt.Errorf("store: wrap a data key: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO case_data_keys (case_id, wrapped, created_at) VALUES (?, ?, ?)`, caseID, wrapped, tx.timeArg())
	if err != nil {
		return nil, fmt.Errorf("store: store a data key: %w", err)
	}
	return tx.cacheKey(caseID, key)
}

type aeadCipher = interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

func (tx *Tx) cacheKey(caseID int64, key []byte) (aeadCipher, error) {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	tx.keys[caseID] = a
	return a, nil
}

// unwrapCached unwraps a data key once per process: unwrapping with the
// hybrid vault key costs a post-quantum decapsulation. The cache is keyed by
// the wrapped bytes, which are read from the database every time, so a key
// destroyed by another process is never served from it.
func (db *DB) unwrapCached(wrapped []byte) ([]byte, error) {
	id := sha256.Sum256(wrapped)
	if k, ok := db.keyCache.Load(id); ok {
		return k.([]byte), nil
	}
	key, err := db.keyring.UnwrapSecret(wrapped)
	if err != nil {
		return nil, fmt.Errorf("store: unwrap a case's data key: %w", err)
	}
	db.keyCache.Store(id, key)
	return key, nil
}

// DestroyDataKey destroys the case's data key: its client data in the
// database can no longer be read, by anyone.
func (tx *Tx) DestroyDataKey(ctx context.Context, caseID int64) error {
	if _, err := tx.dataKey(ctx, caseID, true); err != nil && !errors.Is(err, ErrKeyDestroyed) {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE case_data_keys SET wrapped = NULL, destroyed_at = ? WHERE case_id = ?`, tx.timeArg(), caseID)
	if err != nil {
		return fmt.Errorf("store: destroy the data key: %w", err)
	}
	tx.keys[caseID] = nil
	if _, err := tx.exec(ctx, `DELETE FROM case_name_index WHERE case_id = ?`, caseID); err != nil {
		return fmt.Errorf("store: drop the name index of the case: %w", err)
	}
	return nil
}

// timeArg is the transaction's time as the dialect stores it.
func (tx *Tx) timeArg() any { return tx.db.dialect.timeArg(tx.now) }

// timeValue is any time as the dialect stores it.
func (tx *Tx) timeValue(t time.Time) any { return tx.db.dialect.timeArg(t) }
