package e2e

import (
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestStaffInterview: a caseworker runs the interview from the case page
// during a consultation. She answers the first question with "I don't
// know" and skips the second for now; each time the next question is
// another one, the progress counts the answer and not the skip, and the
// case's facts hold the unknown answer and nothing for the skipped
// question.
func TestStaffInterview(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			ref := s.newCase(t, lena).Reference
			b := s.open(t, js)
			s.signIn(b, p)
			b.visit("/cases/" + ref)

			b.click(`#person a[href="/cases/` + ref + `/interview"]`)
			b.at("/cases/" + ref + "/interview")
			b.see("Interview for case " + ref)
			type screen struct{ name, question, progress string }
			shown := func() screen {
				return screen{b.value(`form.interview input[name="name"]`), b.text("h1.question-title"), b.text("main > p.small")}
			}
			first := shown()
			if first.name == "" || first.question == "" {
				t.Fatalf("the interview shows no question; the page says:\n%s", b.text("body"))
			}

			b.click(`form.interview button[name="unknown_` + first.name + `"]`) // I don't know
			b.at("/cases/" + ref + "/interview")
			second := shown()
			if second.name == first.name || second.question == first.question {
				t.Fatalf("after \"I don't know\" the interview asks %q (%s) again", second.question, second.name)
			}
			if second.progress == first.progress {
				t.Errorf("the progress reads %q before and after an answer", first.progress)
			}

			b.click(`form.interview button[name="later"]`) // Skip for now
			b.at("/cases/" + ref + "/interview?skip=" + second.name)
			third := shown()
			if third.name == second.name || third.name == first.name || third.question == second.question {
				t.Errorf("after \"Skip for now\" the interview asks %q (%s); before it asked %q and %q",
					third.question, third.name, first.question, second.question)
			}
			if third.progress != second.progress {
				t.Errorf("skipping changed the progress from %q to %q", second.progress, third.progress)
			}

			facts, err := s.App.Facts(s.as(t, lena), ref)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]casefile.Fact{}
			for _, f := range facts {
				got[f.Name] = f
			}
			if f, ok := got[first.name]; !ok || f.State != casefile.StateUnknown || f.Source != casefile.SourceStatement {
				t.Errorf("the case holds %s = %+v, want unknown, the person's statement", first.name, f)
			}
			if f, ok := got[second.name]; ok {
				t.Errorf("the skipped question %s has the answer %+v", second.name, f)
			}

			b.click(`main a[href="/cases/` + ref + `#facts"]`) // Review your answers
			b.at("/cases/" + ref)
			if got := b.text("#fact-" + first.name + " td"); !strings.HasPrefix(got, "I don't know") {
				t.Errorf("the facts table shows %s as %q", first.name, got)
			}
			if got := b.text("#fact-" + second.name + " td"); !strings.HasPrefix(got, "not asked") {
				t.Errorf("the facts table shows the skipped %s as %q", second.name, got)
			}
		})
	})
}
