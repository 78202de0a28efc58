package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// pageClientQuestions is the client's review page: every question asked
// so far (skip logic applied), with the answers given, all editable at
// once, and the button that sends them to the team.
func pageClientQuestions(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		qs, left, err := clientQuestions(a, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "client_questions", map[string]any{"Questions": qs, "Left": left,
			"Saved": r.URL.Query().Get("saved") == "1"})
	})
}

// clientQuestions are the questions asked of the client and how many are
// still to answer. A fact the staff established is not the client's to
// answer (nor to see here).
func clientQuestions(a *app.App, r *http.Request) ([]factRow, int, error) {
	ref, err := a.ClientCase(r.Context())
	if err != nil {
		return nil, 0, err
	}
	st, err := a.Interview(r.Context(), ref)
	if err != nil {
		return nil, 0, err
	}
	rows, _ := factRows(a.Pack(), st.Facts, pageLanguage(r))
	out := rows[:0]
	for _, row := range rows {
		if st.Asked[row.Def.Name] && (row.Fact == nil || row.Fact.Source == casefile.SourceStatement) {
			out = append(out, row)
		}
	}
	return out, len(st.Next), nil
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
	if err := parseForm(w, r); err != nil {
		return err
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
