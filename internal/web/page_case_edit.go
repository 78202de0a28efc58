package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// caseForm is a form posted on the case page: it runs do with the parsed
// form, then goes back to the case page at anchor, or shows the error
// there.
func caseForm(log *slog.Logger, anchor string, do func(r *http.Request, ref string) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		ref := r.PathValue("ref")
		if err := do(r, ref); err != nil {
			renderError(w, r, log, err)
			return
		}
		http.Redirect(w, r, "/cases/"+ref+"#"+anchor, http.StatusSeeOther)
	})
}

// pageFactSet records one fact from the case page's in-place editor:
// a value, "unknown", or (with clear=1) no answer at all.
func pageFactSet(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "facts", func(r *http.Request, ref string) error {
		name := r.PostForm.Get("name")
		if r.PostForm.Get("clear") == "1" {
			return a.ClearFact(r.Context(), ref, name)
		}
		in, ok, err := factInput(a, r.PostForm, name, casefile.Source(r.PostForm.Get("source")))
		if err != nil {
			return err
		}
		if !ok {
			return sanctuary.Invalid("the fact was not changed", map[string]string{name: "give a value, or choose \"I don't know\""})
		}
		_, err = a.SetFact(r.Context(), ref, in)
		return err
	})
}

// factInput reads one fact's answer from a form: its value field
// (f_NAME) or its "I don't know" box (unknown_NAME); false when neither
// was given.
func factInput(a *app.App, form url.Values, name string, src casefile.Source) (casefile.FactInput, bool, error) {
	in := casefile.FactInput{Name: name, Source: src}
	d, ok := a.Vocabulary().Lookup(name)
	if !ok {
		return in, false, sanctuary.Invalid("no such fact", map[string]string{"name": "unknown fact"})
	}
	if form.Get("unknown_"+name) == "1" {
		in.State = casefile.StateUnknown
		return in, true, nil
	}
	raw, ok := formValue(d, form)
	in.Value = raw
	return in, ok, nil
}

func pageNoteAdd(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "notes", func(r *http.Request, ref string) error {
		_, err := a.AddNote(r.Context(), ref, r.PostForm.Get("body"))
		return err
	})
}

func pageTransition(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "status", func(r *http.Request, ref string) error {
		_, err := a.TransitionCase(r.Context(), ref, app.Transition{To: casefile.Status(r.PostForm.Get("to")),
			Reason: strings.TrimSpace(r.PostForm.Get("reason"))})
		return err
	})
}

// pageAssessmentKeep keeps the assessment as of the date on the case
// (and on its timeline).
func pageAssessmentKeep(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "assessment", func(r *http.Request, ref string) error {
		asOf, err := app.ParseDateField("as_of", r.PostForm.Get("as_of"))
		if err != nil {
			return err
		}
		_, err = a.AssessCase(r.Context(), ref, app.AssessRequest{AsOf: asOf})
		return err
	})
}

// pageInvitationCreate makes a client invitation and shows its link this
// once (it is kept only as a hash).
func pageInvitationCreate(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		ref := r.PathValue("ref")
		_, token, err := a.InviteClient(r.Context(), ref, r.PostForm.Get("language"), 0)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusCreated, "invitation_created", map[string]string{"Case": ref, "Link": a.Link("/invite/" + token)})
	})
}

func pageDeadlineAdd(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "deadlines", func(r *http.Request, ref string) error {
		due, err := app.ParseDateField("due", r.PostForm.Get("due"))
		if err != nil {
			return err
		}
		_, err = a.AddDeadline(r.Context(), ref, due, strings.TrimSpace(r.PostForm.Get("label")))
		return err
	})
}

func pageDeadlineDone(a *app.App, log *slog.Logger) http.Handler {
	return caseForm(log, "deadlines", func(r *http.Request, ref string) error {
		id, err := deadlineID(r)
		if err != nil {
			return err
		}
		return a.CompleteDeadline(r.Context(), ref, id)
	})
}
