package app

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// Limits on images Sanctuary re-encodes.
const (
	MaxDeriveBytes  = 100 << 20
	MaxDerivePixels = 40_000_000
)

// DeriveStripped makes a working copy of a photo or scan (JPEG or PNG)
// without its metadata — camera model, GPS position, time, editing
// software — by decoding the image and encoding it again. The original is
// untouched; the copy is a new item that names it (derived_from), and the
// original's custody history gets a derive event naming the tool.
//
// The image is decoded by Go's own decoders, which are memory-safe, after
// its declared dimensions are checked, so that a hostile file cannot
// exhaust memory.
func (a *App) DeriveStripped(ctx context.Context, ref string, id int64) (EvidenceView, error) {
	who, err := actor(ctx)
	if err != nil {
		return EvidenceView{}, err
	}
	ev, err := a.evidence()
	if err != nil {
		return EvidenceView{}, err
	}
	c, it, key, err := a.loadItem(ctx, ref, id, ActEvidenceEdit)
	if err != nil {
		return EvidenceView{}, err
	}
	k, err := unwrap(ev, key)
	if err != nil {
		return EvidenceView{}, err
	}
	if err := openSecret(k, &it); err != nil {
		return EvidenceView{}, err
	}
	obj, err := ev.Store.Open(it.ObjectID, k)
	if err != nil {
		return EvidenceView{}, err
	}
	clean, format, err := reencode(io.NewSectionReader(obj, 0, obj.Size), obj.Size)
	obj.Close()
	if err != nil {
		return EvidenceView{}, err
	}
	detail := fmt.Sprintf("strip-metadata: %s decoded and encoded again without metadata (Go image/%s)", format, format)
	if err := a.logItemEvent(ctx, ev, c, key.Tag, &it, custody.Derive, who, detail, nil); err != nil {
		return EvidenceView{}, err
	}
	m := evidence.Meta{Title: it.Secret.Title + " — metadata stripped", Kind: it.Kind, DocumentDate: it.DocumentDate,
		ObtainedFrom: it.Secret.ObtainedFrom, ObtainedAt: it.ObtainedAt, Language: it.Language, Facts: it.Facts,
		OriginalName: "stripped." + format}
	copyItem, err := a.addEvidence(ctx, ref, m, bytes.NewReader(clean), it.ID)
	if err != nil {
		return EvidenceView{}, err
	}
	return a.GetEvidence(ctx, ref, copyItem.ID)
}

// reencode decodes a JPEG or PNG and encodes its pixels again, which drops
// every metadata block.
func reencode(r io.ReadSeeker, size int64) ([]byte, string, error) {
	if size > MaxDeriveBytes {
		return nil, "", sanctuary.Errorf(sanctuary.EINVALID, "only images up to %d MiB can be stripped", MaxDeriveBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(r)
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, "", sanctuary.Errorf(sanctuary.EINVALID, "only JPEG and PNG images can be stripped of their metadata")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxDerivePixels {
		return nil, "", sanctuary.Errorf(sanctuary.EINVALID, "the image is larger than %d pixels", MaxDerivePixels)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	img, _, err := image.Decode(r)
	if err != nil {
		return nil, "", sanctuary.Errorf(sanctuary.EINVALID, "the image cannot be decoded")
	}
	var buf bytes.Buffer
	if format == "jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	} else {
		err = png.Encode(&buf, img)
	}
	return buf.Bytes(), format, err
}
