package web

import (
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
)

// pageEvidenceUpload takes a document from the case page's upload form:
// its description fields, then the file, streamed into the vault as it
// arrives (multi-gigabyte files are fine: nothing is buffered).
func pageEvidenceUpload(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).SetReadDeadline(time.Time{}) // uploads take as long as they take
		r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes)
		ref := r.PathValue("ref")
		it, err := staffUpload(a, r, ref)
		if err != nil {
			renderError(w, r, log, uploadError(err, MaxUploadBytes))
			return
		}
		http.Redirect(w, r, "/cases/"+ref+"/evidence/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	})
}

func staffUpload(a *app.App, r *http.Request, ref string) (evidence.Item, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return evidence.Item{}, sanctuary.Errorf(sanctuary.EUNSUPPORTED, "send the form as multipart/form-data")
	}
	fields, file, err := fieldsThenFile(mr)
	if err != nil {
		return evidence.Item{}, err
	}
	m := evidence.Meta{Title: fields["title"], Kind: evidence.Kind(fields["kind"]), ObtainedFrom: fields["obtained_from"],
		OriginalName: path.Base(file.FileName())}
	if s := fields["document_date"]; s != "" {
		d, err := app.ParseDateField("document_date", s)
		if err != nil {
			return evidence.Item{}, err
		}
		m.DocumentDate = &d
	}
	return a.AddEvidence(uploadContext(r), ref, m, wholeFile(mr, file))
}

// fieldsThenFile reads the short text fields of an upload form up to its
// file part.
func fieldsThenFile(mr *multipart.Reader) (map[string]string, *multipart.Part, error) {
	fields := map[string]string{}
	for range 10 {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if p.FormName() == "file" {
			if p.FileName() == "" {
				break
			}
			return fields, p, nil
		}
		b, err := io.ReadAll(io.LimitReader(p, 4097))
		if err != nil {
			return nil, nil, err
		}
		if len(b) > 4096 {
			return nil, nil, sanctuary.Invalid("the upload cannot be read", map[string]string{p.FormName(): "is too long"})
		}
		fields[p.FormName()] = strings.TrimSpace(string(b))
	}
	return nil, nil, sanctuary.Invalid("the upload has no document", map[string]string{"file": "choose a file"})
}

// evidenceView is an item's page: its description, a preview and its
// custody history.
type evidenceView struct {
	Case    string
	Item    app.EvidenceView
	Preview string // image, pdf, video, audio, text or ""
	// Playback is the token of the preview shown, "" when the page only
	// offers to show it.
	Playback string
	Custody  []app.CustodyEntry
}

// pageEvidence shows an item. Its preview is shown only when asked for
// (?preview=1, the "Show preview" link), with a playback token of its
// own: the page alone fetches nothing of the document, so visiting it
// logs no view (docs/evidence.md, "Views and downloads").
func pageEvidence(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		id, err := evidenceID(r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		v := evidenceView{Case: ref}
		if v.Item, err = a.GetEvidence(r.Context(), ref, id); err == nil {
			v.Custody, err = a.EvidenceCustody(r.Context(), ref, id)
		}
		v.Preview = previewKind(contentType(v.Item.OriginalName))
		if err == nil && v.Preview != "" && !v.Item.KeyDestroyed && r.URL.Query().Get("preview") == "1" {
			v.Playback, err = a.StartPlayback(r.Context(), sessionToken(r, opt), ref, id)
		}
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "evidence", v)
	})
}

// previewKind says how a page can show a document of the media type.
func previewKind(mediaType string) string {
	base, _, _ := strings.Cut(mediaType, ";")
	switch {
	case strings.HasPrefix(base, "image/"):
		return "image"
	case base == "application/pdf":
		return "pdf"
	case strings.HasPrefix(base, "video/"):
		return "video"
	case strings.HasPrefix(base, "audio/"):
		return "audio"
	}
	return ""
}

// pageEvidenceContent serves the decrypted document to a signed-in team
// member, with range requests: with ?playback=TOKEN for a preview (one
// view per token), with ?inline=1 by way of a new playback (the "open in a
// new tab" link), and otherwise as a download (one per request).
func pageEvidenceContent(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := evidenceContent(a, w, r, opt); err != nil {
			renderError(w, r, log, err)
		}
	})
}

func evidenceContent(a *app.App, w http.ResponseWriter, r *http.Request, opt Options) error {
	ref, q := r.PathValue("ref"), r.URL.Query()
	id, err := evidenceID(r)
	if err != nil {
		return err
	}
	var f *app.EvidenceFile
	switch {
	case q.Has("playback"):
		f, err = a.OpenPlayback(r.Context(), sessionToken(r, opt), ref, id, q.Get("playback"))
	case q.Get("inline") == "1":
		token, err := a.StartPlayback(r.Context(), sessionToken(r, opt), ref, id)
		if err != nil {
			return err
		}
		http.Redirect(w, r, r.URL.Path+"?playback="+url.QueryEscape(token), http.StatusSeeOther)
		return nil
	default:
		f, err = a.OpenEvidence(r.Context(), ref, id, true)
	}
	if err != nil {
		return err
	}
	serveEvidence(w, r, f, id, q.Has("playback"))
	return nil
}
