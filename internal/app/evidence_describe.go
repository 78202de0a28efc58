package app

import (
	"crypto/rand"
	"fmt"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// describe returns an item's description as the custody log commits to
// it: what a bundle shows beside the document. links gives the
// commitments of the case's items, which name the originals of a
// translation or a working copy.
func describe(it evidence.Item, links map[int64]string) custody.Description {
	return custody.Description{Title: it.Secret.Title, Kind: string(it.Kind), DocumentDate: dateText(it.DocumentDate),
		ObtainedFrom: it.Secret.ObtainedFrom, ObtainedAt: dateText(it.ObtainedAt), Language: it.Language,
		OriginalName: it.Secret.OriginalName, TranslationOf: links[it.TranslationOf], DerivedFrom: links[it.DerivedFrom]}
}

func dateText(d *casefile.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// commitDescription draws a fresh salt for the item's current description
// and sets its commitment, for the ingest or annotate event that records
// it. The salt goes into the item's secret, so seal it afterwards.
func commitDescription(it *evidence.Item, links map[int64]string) error {
	salt := make([]byte, custody.SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	c, err := custody.CommitDescription(salt, describe(*it, links))
	if err != nil {
		return fmt.Errorf("app: evidence %d: %w", it.ID, err)
	}
	it.Secret.DescriptionSalt, it.DescriptionCommitment = salt, c
	return nil
}

// recomputeDescription sets the commitment of the description as it was
// last committed, from the salt kept in the item's secret; false if the
// item was logged before descriptions were committed.
func recomputeDescription(it *evidence.Item, links map[int64]string) (bool, error) {
	if len(it.Secret.DescriptionSalt) == 0 {
		return false, nil
	}
	c, err := custody.CommitDescription(it.Secret.DescriptionSalt, describe(*it, links))
	if err != nil {
		return false, fmt.Errorf("app: evidence %d: %w", it.ID, err)
	}
	it.DescriptionCommitment = c
	return true, nil
}
