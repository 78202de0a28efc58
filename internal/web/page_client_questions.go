package web

import (
	"cmp"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// question is one fact of the vocabulary as the client's page shows it,
// with what the client answered so far.
type question struct {
	Name     string
	Type     casefile.Type
	Text     string
	Values   []string
	Answer   string   // the current value in the form's text
	Selected []string // enum_list
	Unknown  bool
}

// pageClientQuestions shows every question of the vocabulary in the
// client's language, with their answers so far. (The web UI issue turns
// this into an interview: one question at a time, with skip logic.)
func pageClientQuestions(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		qs, err := clientQuestions(a, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "client_questions", map[string]any{"Questions": qs, "Saved": r.URL.Query().Get("saved") == "1"})
	})
}

func clientQuestions(a *app.App, r *http.Request) ([]question, error) {
	ref, err := a.ClientCase(r.Context())
	if err != nil {
		return nil, err
	}
	voc, err := a.ReadVocabulary(r.Context())
	if err != nil {
		return nil, err
	}
	facts, err := a.Facts(r.Context(), ref)
	if err != nil {
		return nil, err
	}
	byName := map[string]casefile.Fact{}
	for _, f := range facts {
		byName[f.Name] = f
	}
	lang := pageLanguage(r)
	var out []question
	for _, d := range voc.Defs() {
		q := question{Name: d.Name, Type: d.Type, Text: cmp.Or(d.Question[lang], d.Question["en"], d.Name), Values: d.Values}
		if f, ok := byName[d.Name]; ok && f.Source != casefile.SourceStatement {
			continue // established by staff: not the client's to answer (nor to see here)
		} else if ok {
			q.Unknown = f.State == casefile.StateUnknown
			if f.Value != nil {
				q.Answer, q.Selected = f.Value.String(), f.Value.List
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// pageClientAnswers saves the answers given: a field left empty is left as
// it was; "I don't know" records that.
func pageClientAnswers(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := saveClientAnswers(a, w, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		http.Redirect(w, r, "/client/questions?saved=1", http.StatusSeeOther)
	})
}

func saveClientAnswers(a *app.App, w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return sanctuary.Errorf(sanctuary.EINVALID, "the form cannot be read")
	}
	ins, err := clientAnswers(a, r)
	if err != nil {
		return err
	}
	_, err = a.AnswerQuestions(r.Context(), ins) // decides who may, even for an empty form
	return err
}

func clientAnswers(a *app.App, r *http.Request) ([]casefile.FactInput, error) {
	voc, err := a.ReadVocabulary(r.Context())
	if err != nil {
		return nil, err
	}
	var ins []casefile.FactInput // a fact the staff established is refused by the app, not filtered here
	for _, d := range voc.Defs() {
		in := casefile.FactInput{Name: d.Name, Source: casefile.SourceStatement}
		if r.PostForm.Get("unknown_"+d.Name) == "1" {
			in.State = casefile.StateUnknown
			ins = append(ins, in)
			continue
		}
		raw, ok := formValue(d, r.PostForm)
		if !ok {
			continue
		}
		in.Value = raw
		ins = append(ins, in)
	}
	return ins, nil
}

// formValue turns a question's form field into the fact's JSON value;
// false when it was left empty.
func formValue(d casefile.FactDef, form map[string][]string) (json.RawMessage, bool) {
	vals := form["f_"+d.Name]
	v := ""
	if len(vals) > 0 {
		v = strings.TrimSpace(vals[0])
	}
	var x any
	switch d.Type {
	case casefile.TypeEnumList:
		if len(vals) == 0 {
			return nil, false
		}
		x = slices.DeleteFunc(slices.Clone(vals), func(s string) bool { return s == "" })
	case casefile.TypeBool:
		if v == "" {
			return nil, false
		}
		x = v == "yes"
	case casefile.TypeInteger:
		if v == "" {
			return nil, false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			x = v // the vocabulary check names the problem
		} else {
			x = n
		}
	default:
		if v == "" {
			return nil, false
		}
		x = v
	}
	b, _ := json.Marshal(x)
	return b, true
}
