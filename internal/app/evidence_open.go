package app

import (
	"context"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
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
// without leaving a trace.
func (a *App) OpenEvidence(ctx context.Context, ref string, id int64, download bool) (*EvidenceFile, error) {
	who, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ev, err := a.evidence()
	if err != nil {
		return nil, err
	}
	c, it, key, err := a.loadItem(ctx, ref, id, ActEvidenceOpen)
	if err != nil {
		return nil, err
	}
	k, err := unwrap(ev, key)
	if err != nil {
		return nil, err
	}
	if err := openSecret(k, &it); err != nil {
		return nil, err
	}
	typ := custody.View
	if download {
		typ = custody.Download
	}
	if err := a.logItemEvent(ctx, ev, c, key.Tag, &it, typ, who, "", nil); err != nil {
		return nil, err
	}
	obj, err := ev.Store.Open(it.CipherSHA256, k)
	if err != nil {
		return nil, err
	}
	return &EvidenceFile{Object: obj, View: viewOf(it)}, nil
}
