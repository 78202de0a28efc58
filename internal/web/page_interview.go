package web

import (
	"cmp"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

// The intake interview asks one question per screen, the most useful
// first, with "I don't know" and "skip for now" always there. Each answer
// is saved as it is given, so the interview resumes wherever it stopped.
// The same pages serve a client (through their invitation) and a team
// member (during a consultation); place says which.
type place struct{ client bool }

func (p place) ref(a *app.App, r *http.Request) (string, error) {
	if p.client {
		return a.ClientCase(r.Context())
	}
	return r.PathValue("ref"), nil
}

func (p place) base(ref string) string {
	if p.client {
		return "/client/interview"
	}
	return "/cases/" + ref + "/interview"
}

func (p place) review(ref string) string {
	if p.client {
		return "/client/questions"
	}
	return "/cases/" + ref + "#facts"
}

// interviewView is one screen of the interview.
type interviewView struct {
	Client   bool
	Case     string
	Action   string
	Review   string
	Question factRow
	Help     string
	Answered int
	Total    int
	Skip     string
}

func pageInterview(a *app.App, log *slog.Logger, p place) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, err := p.ref(a, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		v, done, err := interviewScreen(a, r, p, ref, r.URL.Query().Get("skip"))
		switch {
		case err != nil:
			renderError(w, r, log, err)
		case done:
			http.Redirect(w, r, p.review(ref), http.StatusSeeOther)
		default:
			render(w, r, log, http.StatusOK, "interview", v)
		}
	})
}

// interviewScreen is the next question not skipped; done when there is
// none left.
func interviewScreen(a *app.App, r *http.Request, p place, ref, skip string) (interviewView, bool, error) {
	st, err := a.Interview(r.Context(), ref)
	if err != nil {
		return interviewView{}, false, err
	}
	skipped := strings.Split(skip, ",")
	i := slices.IndexFunc(st.Next, func(q rules.Question) bool { return !slices.Contains(skipped, q.Fact.Name) })
	if i < 0 {
		return interviewView{}, true, nil
	}
	lang := pageLanguage(r)
	q := st.Next[i].Fact
	return interviewView{Client: p.client, Case: ref, Action: p.base(ref), Review: p.review(ref), Answered: st.Answers,
		Total: st.Answers + len(st.Next), Skip: skip, Help: q.Help.In(lang),
		Question: factRow{Def: *q, Question: cmp.Or(q.Question.In(lang), q.Name), Options: factOptions(*q, nil, lang)}}, false, nil
}

// pageInterviewAnswer saves one answer (or skips the question for now)
// and goes on to the next question.
func pageInterviewAnswer(a *app.App, log *slog.Logger, p place) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		ref, err := p.ref(a, r)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		name, skip := r.PostForm.Get("name"), r.PostForm.Get("skip")
		if r.PostForm.Get("later") == "1" {
			skip = strings.Trim(skip+","+name, ",")
		} else if err := saveAnswer(a, r, p, ref, name); err != nil {
			v, done, verr := interviewScreen(a, r, p, ref, skip)
			if verr != nil || done {
				renderError(w, r, log, err)
				return
			}
			formPage(w, r, log, "interview", v, err)
			return
		}
		next := p.base(ref)
		if skip != "" {
			next += "?" + url.Values{"skip": {skip}}.Encode()
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// saveAnswer records the person's answer as their statement; an empty
// answer is refused, so that a slip of the finger does not pass a question.
func saveAnswer(a *app.App, r *http.Request, p place, ref, name string) error {
	in, ok, err := factInput(a, r.PostForm, name, casefile.SourceStatement)
	if err != nil {
		return err
	}
	if !ok {
		return sanctuary.Invalid("no answer was given", map[string]string{name: "answer, choose \"I don't know\", or skip the question for now"})
	}
	if p.client {
		_, err = a.AnswerQuestions(r.Context(), []casefile.FactInput{in})
		return err
	}
	_, err = a.SetFact(r.Context(), ref, in)
	return err
}

// pageAnswersSubmit tells the client's team that the answers are ready.
func pageAnswersSubmit(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := a.SubmitAnswers(r.Context()); err != nil {
			renderError(w, r, log, err)
			return
		}
		http.Redirect(w, r, "/client?submitted=1", http.StatusSeeOther)
	})
}
