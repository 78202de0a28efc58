package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// MaxUploadBytes bounds one evidence upload.
const MaxUploadBytes = 64 << 30

// apiEvidenceAdd takes a multipart upload: first a part named "meta"
// holding the item's description as JSON, then a part named "file" with
// the document, which is streamed into the vault without being buffered or
// written anywhere in the clear, then the closing boundary (upload.go).
func apiEvidenceAdd(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		http.NewResponseController(w).SetReadDeadline(time.Time{}) // uploads take as long as they take
		r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes)
		mr, err := r.MultipartReader()
		if err != nil {
			return sanctuary.Errorf(sanctuary.EUNSUPPORTED, "send evidence as multipart/form-data: a part \"meta\" (JSON), then a part \"file\"")
		}
		m, err := readMetaPart(mr)
		if err != nil {
			return err
		}
		file, err := mr.NextPart()
		if err != nil || file.FormName() != "file" {
			return sanctuary.Invalid("the upload has no document", map[string]string{"file": "a part named file must follow meta"})
		}
		if m.OriginalName == "" {
			m.OriginalName = path.Base(file.FileName())
		}
		ctx := uploadContext(r)
		it, err := a.AddEvidence(ctx, r.PathValue("ref"), m, wholeFile(mr, file))
		if err != nil {
			return uploadError(err, MaxUploadBytes)
		}
		v, err := a.GetEvidence(ctx, r.PathValue("ref"), it.ID)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/cases/"+r.PathValue("ref")+"/evidence/"+strconv.FormatInt(it.ID, 10))
		return writeJSON(w, http.StatusCreated, v)
	})
}

func readMetaPart(mr *multipart.Reader) (evidence.Meta, error) {
	var m evidence.Meta
	p, err := mr.NextPart()
	if err != nil || p.FormName() != "meta" {
		return m, sanctuary.Invalid("the upload has no description", map[string]string{"meta": "the first part must be named meta and hold JSON"})
	}
	dec := json.NewDecoder(io.LimitReader(p, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, decodeError(err)
	}
	return m, nil
}

func apiEvidenceList(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		items, err := a.ListEvidence(r.Context(), r.PathValue("ref"))
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"evidence": items})
	})
}

func evidenceID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, sanctuary.Errorf(sanctuary.ENOTFOUND, "no such evidence item")
	}
	return id, nil
}

func apiEvidenceGet(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := evidenceID(r)
		if err != nil {
			return err
		}
		v, err := a.GetEvidence(r.Context(), r.PathValue("ref"), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	})
}

func apiEvidenceUpdate(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := evidenceID(r)
		if err != nil {
			return err
		}
		var m evidence.Meta
		if err := decode(w, r, &m); err != nil {
			return err
		}
		v, err := a.UpdateEvidence(r.Context(), r.PathValue("ref"), id, m)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, v)
	})
}

func apiEvidenceCustody(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := evidenceID(r)
		if err != nil {
			return err
		}
		h, err := a.EvidenceCustody(r.Context(), r.PathValue("ref"), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"events": h})
	})
}

// apiEvidenceContent serves an item's document, decrypted as it is read,
// with HTTP range requests (a video can seek). Every request is logged in
// the custody log: a view with ?inline=1, a download otherwise. (A
// program reads in ranges when it chooses to; a browser's preview, whose
// player does on its own, counts one view per playback: page_evidence.go.)
func apiEvidenceContent(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := evidenceID(r)
		if err != nil {
			return err
		}
		inline := r.URL.Query().Get("inline") == "1"
		f, err := a.OpenEvidence(r.Context(), r.PathValue("ref"), id, !inline)
		if err != nil {
			return err
		}
		serveEvidence(w, r, f, id, inline)
		return nil
	})
}

// serveEvidence serves an opened item's document, decrypted as it is
// read, with HTTP range requests, and closes it.
func serveEvidence(w http.ResponseWriter, r *http.Request, f *app.EvidenceFile, id int64, inline bool) {
	defer f.Close()
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	name := "evidence-" + strconv.FormatInt(id, 10) + safeExt(f.View.OriginalName)
	disposition := "attachment"
	if inline {
		disposition = "inline"
		// a preview may be shown in a frame of our own page, and nothing else
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; frame-ancestors 'self'")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
	}
	w.Header().Set("Content-Type", contentType(f.View.OriginalName))
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	w.Header().Set("ETag", `"`+f.View.ObjectID+`"`)
	http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(f, 0, f.Size))
}

// safeExt keeps a short, plain extension of the original file name.
func safeExt(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if len(ext) < 2 || len(ext) > 6 || strings.IndexFunc(ext[1:], func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) >= 0 {
		return ""
	}
	return ext
}

// contentType is the media type for serving a document: only types a
// browser shows without running anything are named; the rest are bytes.
func contentType(name string) string {
	t := mime.TypeByExtension(safeExt(name))
	base, _, _ := strings.Cut(t, ";")
	switch {
	case base == "application/pdf", base == "text/plain", base == "image/jpeg", base == "image/png", base == "image/gif",
		base == "image/webp", strings.HasPrefix(base, "video/"), strings.HasPrefix(base, "audio/"):
		return t
	}
	return "application/octet-stream"
}

type exportRequest struct {
	Items []int64 `json:"items"`
}

// apiEvidenceExport streams a verifiable bundle of the case's evidence as
// a zip file.
func apiEvidenceExport(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		var req exportRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		ref := r.PathValue("ref")
		if _, err := a.GetCase(r.Context(), ref); err != nil {
			return err
		}
		http.NewResponseController(w).SetWriteDeadline(time.Time{})
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ref + "-evidence.zip"}))
		lw := &lazyWriter{w: w}
		if err := a.ExportEvidence(r.Context(), ref, req.Items, bundle.NewZipWriter(lw)); err != nil {
			if lw.started {
				// The status is sent: cut the connection, so that the
				// client sees a failed transfer, never a whole-looking
				// response with a broken zip.
				log.Error("evidence export broke off", "err", err.Error())
				panic(http.ErrAbortHandler)
			}
			w.Header().Del("Content-Disposition")
			return err
		}
		return nil
	})
}

// lazyWriter remembers whether anything was written, so that an error
// before the first byte can still be answered with its status.
type lazyWriter struct {
	w       http.ResponseWriter
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	l.started = true
	return l.w.Write(p)
}

// apiEvidenceStrip makes a copy of an image item without its metadata.
func apiEvidenceStrip(a *app.App, log *slog.Logger) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := evidenceID(r)
		if err != nil {
			return err
		}
		v, err := a.DeriveStripped(r.Context(), r.PathValue("ref"), id)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/cases/"+r.PathValue("ref")+"/evidence/"+strconv.FormatInt(v.ID, 10))
		return writeJSON(w, http.StatusCreated, v)
	})
}
