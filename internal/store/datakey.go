package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

	"golang.org/x/crypto/chacha20poly1305"
)

// Every case has a data key: 32 random bytes, made with the case, kept in
// case_data_keys wrapped (sealed) under the instance's case-key-wrapping
// secret, which is itself kept wrapped to the vault key. Destroying the
// case's row destroys the only copy of the key.

func keyAD(caseID int64) []byte { return []byte("sanctuary/case-key/" + strconv.FormatInt(caseID, 10)) }

func (tx *Tx) keyWrapper(ctx context.Context, create bool) (aeadCipher, error) {
	s, err := tx.instanceSecret(ctx, secretCaseKeyWrapping, create)
	if err != nil || s == nil {
		return nil, err
	}
	return chacha20poly1305.NewX(s)
}

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
	var kw aeadCipher
	for id, w := range wrapped {
		if w == nil {
			tx.keys[id] = nil
			continue
		}
		if kw == nil {
			if kw, err = tx.keyWrapper(ctx, false); err != nil {
				return err
			}
			if kw == nil {
				return errors.New("store: the database holds case keys but not the secret that wraps them")
			}
		}
		key, err := unseal(kw, keyAD(id), w)
		if err != nil {
			return fmt.Errorf("store: the data key of case %d %w", id, err)
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
	kw, err := tx.keyWrapper(ctx, true)
	if err != nil {
		return nil, err
	}
	wrapped, err := seal(kw, keyAD(caseID), key)
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

// newAEAD is XChaCha20-Poly1305 under key.
func newAEAD(key []byte) (aeadCipher, error) { return chacha20poly1305.NewX(key) }

func (tx *Tx) cacheKey(caseID int64, key []byte) (aeadCipher, error) {
	a, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	tx.keys[caseID] = a
	return a, nil
}

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
