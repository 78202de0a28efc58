package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
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
	return rec, tx.InsertCaseKey(ctx, &rec)
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
