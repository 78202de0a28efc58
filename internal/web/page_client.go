package web

import (
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// pageInvite shows the invitation's landing page. Its button posts back,
// so the session cookie is set by a request from this site itself (a
// SameSite=Strict cookie set on a link followed from a messenger would not
// be sent with the next page).
func pageInvite(log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		render(w, r, log, http.StatusOK, "invite", map[string]string{"Action": "/invite/" + r.PathValue("token")})
	})
}

func pageInvitePost(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := a.OpenInvitation(r.Context(), r.PathValue("token"), clientAddress(r, opt))
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		setSession(w, opt, s.Token)
		http.Redirect(w, r, "/client", http.StatusSeeOther)
	})
}

func pageClient(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.ClientCase(r.Context()); err != nil { // clients only
			renderError(w, r, log, err)
			return
		}
		q := r.URL.Query()
		render(w, r, log, http.StatusOK, "client", map[string]bool{"Uploaded": q.Get("sent") == "1", "Submitted": q.Get("submitted") == "1"})
	})
}

// MaxClientUploadBytes bounds one upload through an invitation: lower than
// staff uploads, since an invitation link can leak.
const MaxClientUploadBytes = 2 << 30

// pageClientUpload takes a document from a client: a form with a title and
// a file, streamed into the vault like any upload.
func pageClientUpload(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).SetReadDeadline(time.Time{})
		r.Body = http.MaxBytesReader(w, r.Body, MaxClientUploadBytes)
		if err := clientUpload(a, r); err != nil {
			renderError(w, r, log, uploadError(err, MaxClientUploadBytes))
			return
		}
		http.Redirect(w, r, "/client?sent=1", http.StatusSeeOther)
	})
}

func clientUpload(a *app.App, r *http.Request) error {
	if _, err := a.ClientCase(r.Context()); err != nil { // refuse staff before reading the upload
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return sanctuary.Errorf(sanctuary.EUNSUPPORTED, "send the form as multipart/form-data")
	}
	title, file, err := titleThenFile(mr)
	if err != nil {
		return err
	}
	_, err = a.SendDocument(uploadContext(r), title, file.FileName(), wholeFile(mr, file))
	return err
}

func titleThenFile(mr *multipart.Reader) (string, *multipart.Part, error) {
	p, err := mr.NextPart()
	if err != nil || p.FormName() != "title" {
		return "", nil, sanctuary.Invalid("the document cannot be sent", map[string]string{"title": "is required"})
	}
	b, err := io.ReadAll(io.LimitReader(p, 301))
	if err != nil {
		return "", nil, err
	}
	file, err := mr.NextPart()
	if err != nil || file.FormName() != "file" {
		return "", nil, sanctuary.Invalid("the document cannot be sent", map[string]string{"file": "is required"})
	}
	return string(b), file, nil
}
