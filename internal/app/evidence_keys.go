package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// evidence returns the evidence dependencies, or EUNAVAILABLE.
func (a *App) evidence() (*Evidence, error) {
	if a.ev == nil {
		return nil, sanctuary.Errorf(sanctuary.EUNAVAILABLE, "the evidence vault is not configured on this server")
	}
	return a.ev, nil
}

// caseKeyRecord returns the case's key record, creating the case key on
// first use: a new hybrid identity, stored only wrapped to the vault key.
// If another transaction stored one meanwhile, that one is returned.
func (a *App) caseKeyRecord(ctx context.Context, tx *store.Tx, ev *Evidence, c casefile.Case) (store.CaseKeyRecord, error) {
	rec, err := tx.CaseKey(ctx, c.ID)
	if sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
		return rec, err
	}
	k, err := vault.NewCaseKey()
	if err != nil {
		return rec, err
	}
	wrapped, err := ev.Key.Wrap(k)
	if err != nil {
		return rec, err
	}
	tag := make([]byte, 32)
	if _, err := rand.Read(tag); err != nil {
		return rec, err
	}
	rec = store.CaseKeyRecord{CaseID: c.ID, Recipient: k.Recipient(), Wrapped: wrapped, Tag: hex.EncodeToString(tag)}
	if err := tx.InsertCaseKey(ctx, &rec); err != nil {
		return store.CaseKeyRecord{}, err
	}
	return rec, nil
}

// unwrap opens the case key, or says it was shredded.
func unwrap(ev *Evidence, rec store.CaseKeyRecord) (*vault.CaseKey, error) {
	k, err := ev.Key.Unwrap(rec.Wrapped)
	if errors.Is(err, vault.ErrShredded) {
		return nil, sanctuary.Errorf(sanctuary.ECONFLICT, "the case's key was destroyed: its evidence can no longer be opened")
	}
	return k, err
}

// eventTime is now, as custody events record it.
func (a *App) eventTime() time.Time { return a.db.Now().UTC().Truncate(time.Millisecond) }

// sealSecret encrypts an item's identifying fields to the case key.
func sealSecret(recipient string, sec evidence.Secret) ([]byte, error) {
	b, err := json.Marshal(sec)
	if err != nil {
		return nil, err
	}
	return vault.SealTo(recipient, b)
}

// openSecrets decrypts the identifying fields of the case's items with its
// key, through the cache of opened descriptions (the key is unwrapped only
// if one is missing there). For a case whose key was destroyed they stay
// empty, and it says so, whatever the cache holds.
func openSecrets(ev *Evidence, rec store.CaseKeyRecord, items []evidence.Item, cache *secretCache, caseID int64) (destroyed bool, err error) {
	if rec.Wrapped == nil {
		return true, nil
	}
	var k *vault.CaseKey
	for i := range items {
		it := &items[i]
		if s, ok := cache.get(caseID, it.Sealed); ok {
			it.Secret = s
			continue
		}
		if k == nil {
			if k, err = ev.Key.Unwrap(rec.Wrapped); err != nil {
				return false, err
			}
		}
		if err := openSecret(k, it); err != nil {
			return false, err
		}
		cache.put(caseID, it.Sealed, it.Secret)
	}
	return false, nil
}

func openSecret(k *vault.CaseKey, it *evidence.Item) error {
	b, err := k.Open(it.Sealed)
	if err != nil {
		return fmt.Errorf("app: evidence %d: %w", it.ID, err)
	}
	if err := json.Unmarshal(b, &it.Secret); err != nil {
		return fmt.Errorf("app: evidence %d: %w", it.ID, err)
	}
	return nil
}

// loadItem reads the case, one of its items and the case's key record,
// for an action on the item.
func (a *App) loadItem(ctx context.Context, ref string, id int64, act Action) (c casefile.Case, it evidence.Item, key store.CaseKeyRecord, err error) {
	err = a.db.View(ctx, func(tx *store.Tx) error {
		if c, err = a.openCase(ctx, tx, ref, act, fmt.Sprintf("evidence %d", id)); err != nil {
			return err
		}
		if it, err = tx.EvidenceByID(ctx, c.ID, id); err != nil {
			return err
		}
		key, err = tx.CaseKey(ctx, c.ID)
		return err
	})
	return c, it, key, err
}
