package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// EvidenceFile is an opened item: random access to its plaintext.
// The caller must Close it.
type EvidenceFile struct {
	*vault.Object
	View EvidenceView
}

// OpenEvidence opens an item for viewing (download false) or downloading,
// after logging the access in the custody log: no one reads evidence
// without leaving a trace. Each call is one event; a browser's preview,
// whose range requests are one view, goes through OpenPlayback instead.
func (a *App) OpenEvidence(ctx context.Context, ref string, id int64, download bool) (*EvidenceFile, error) {
	u, err := a.unlockItem(ctx, ref, id)
	if err != nil {
		return nil, err
	}
	typ := custody.View
	if download {
		typ = custody.Download
	}
	if err := a.logItemEvent(ctx, u.ev, u.c, u.key.Tag, &u.it, typ, u.who, "", nil); err != nil {
		return nil, err
	}
	return u.open()
}

// unlocked is an item the principal may open, with its case key
// unwrapped and its description opened: ready to be logged and read.
type unlocked struct {
	ev  *Evidence
	who string
	c   casefile.Case
	it  evidence.Item
	key store.CaseKeyRecord
	k   *vault.CaseKey
}

// unlockItem checks that the principal may open the item (ActEvidenceOpen,
// audited) and unwraps its key.
func (a *App) unlockItem(ctx context.Context, ref string, id int64) (unlocked, error) {
	var u unlocked
	var err error
	if u.who, err = actor(ctx); err != nil {
		return u, err
	}
	if u.ev, err = a.evidence(); err != nil {
		return u, err
	}
	if u.c, u.it, u.key, err = a.loadItem(ctx, ref, id, ActEvidenceOpen); err != nil {
		return u, err
	}
	if u.k, err = unwrap(u.ev, u.key); err != nil {
		return u, err
	}
	return u, openSecret(u.k, &u.it)
}

// open opens the item's object for reading.
func (u unlocked) open() (*EvidenceFile, error) {
	obj, err := u.ev.Store.Open(u.it.ObjectID, u.k)
	if err != nil {
		return nil, err
	}
	return &EvidenceFile{Object: obj, View: viewOf(u.it)}, nil
}
