package web

import (
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
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
	Custody []app.CustodyEntry
}

func pageEvidence(a *app.App, log *slog.Logger) http.Handler {
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
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		v.Preview = previewKind(contentType(v.Item.OriginalName))
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
// member, with range requests, for previews and downloads.
func pageEvidenceContent(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := serveEvidence(a, w, r); err != nil {
			renderError(w, r, log, err)
		}
	})
}
