package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestNewCase: a caseworker signs in with her code, goes from the
// dashboard to "New case", types a fictional person's names in Cyrillic
// and Latin letters and the birth date, ticks Germany and France, puts a
// colleague on the team, and opens the case: its page has a reference of
// the form SN-YYYY-NNNN and shows the person and an assessment for each
// destination. The case is on her dashboard.
func TestNewCase(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			s.setupLink(t, vera, sanctuary.RoleLawyer, "en") // on the team before her setup
			b := s.open(t, js)
			s.signIn(b, p)

			b.click(`header nav a[href="/dashboard"]`)
			b.at("/dashboard")
			b.see("My open cases", "No cases.")
			b.click(`main a[href="/cases/new"]`)
			b.at("/cases/new")
			b.see("New case")
			if got := b.value("#asg"); got != lena {
				t.Errorf("the team field holds %q, want the caseworker herself", got)
			}
			b.fill("#fc", "Тестова")
			b.fill("#gc", "Мария")
			b.fill("#pc", "Вымышленная")
			b.fill("#fl", "Testova")
			b.fill("#gl", "Mariya")
			b.fillDate("#bd", "1994-03-17")
			b.check(`input[name="destinations"][value="DE"]`)
			b.check(`input[name="destinations"][value="FR"]`)
			b.fill("#asg", lena+", "+vera)
			if st := b.click(`main form[action="/cases"] button`); st != 200 {
				t.Fatalf("open the case: status %d", st)
			}

			ref, ok := strings.CutPrefix(b.path(), "/cases/")
			if !ok || !casefile.ValidReference(ref) || !strings.HasPrefix(ref, fmt.Sprintf("SN-%d-", s.Clock.Now().Year())) {
				t.Fatalf("opening the case led to %s (%s); the page says:\n%s", b.path(), b.mode(), b.text("body"))
			}
			if got := b.text("h1"); got != ref+" — Testova Mariya" {
				t.Errorf("the case page's heading is %q", got)
			}
			b.see("Тестова Мария Вымышленная", "Testova Mariya", "1994-03-17", "DE, FR", vera)
			if got := b.text("#j-DE"); !strings.HasPrefix(got, "Germany") {
				t.Errorf("the assessment's section for DE is headed %q, want Germany", got)
			}
			if got := b.text("#j-FR"); !strings.HasPrefix(got, "France") {
				t.Errorf("the assessment's section for FR is headed %q, want France", got)
			}
			if n := b.count("#assessment li.finding"); n == 0 {
				t.Error("the new case's assessment has no findings")
			}
			b.see("Case opened")

			c, err := s.App.GetCase(s.as(t, lena), ref)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Person.NameCyrillic; got != (casefile.Name{Family: "Тестова", Given: "Мария", Patronymic: "Вымышленная"}) {
				t.Errorf("the case holds the Cyrillic name %+v", got)
			}
			if c.Person.BirthDate == nil || c.Person.BirthDate.String() != "1994-03-17" ||
				!slices.Equal(c.Destinations, []string{"DE", "FR"}) || !slices.Contains(c.Assignees, vera) {
				t.Errorf("the case holds %+v, destinations %v, team %v", c.Person, c.Destinations, c.Assignees)
			}

			b.click(`header nav a[href="/dashboard"]`)
			b.see(ref, "Testova Mariya")
		})
	})
}

// TestCaseAssessment: on a case's page a caseworker sees the assessment,
// a section for each destination; opens a fact's editor with its Edit
// link, answers Yes and saves, and the fact and the assessment change;
// types other "As of" and "Compare with" dates and presses Show, and the
// page tells what changed between them; keeps that assessment, and the
// timeline says so.
func TestCaseAssessment(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			ref := s.newCase(t, lena).Reference
			b := s.open(t, js)
			s.signIn(b, p)
			b.visit("/cases/" + ref)

			if got := b.text("#j-DE"); !strings.HasPrefix(got, "Germany") {
				t.Errorf("the assessment's section for DE is headed %q, want Germany", got)
			}
			b.see("the law as of "+casefile.DateOf(s.Clock.Now().UTC()).String(), "International law") // today's, by default
			applies := b.count("#assessment li.finding.applies")

			const fact = "is_deserter"
			row := "#fact-" + fact
			if got := b.text(row + " td"); !strings.HasPrefix(got, "not asked") {
				t.Errorf("before an answer the fact shows %q", got)
			}
			b.click(row + ` a[href$="?edit=` + fact + `#fact-` + fact + `"]`)
			b.at("/cases/" + ref + "?edit=" + fact)
			b.check(row + ` input[name="f_` + fact + `"][value="yes"]`)
			b.click(row + ` form button:not([name])`) // Save
			b.at("/cases/" + ref)
			if got := b.text(row + " td"); !strings.HasPrefix(got, "Yes") {
				t.Errorf("after the answer Yes the fact shows %q", got)
			}
			b.see("1 question answered", "Fact recorded")
			if n := b.count("#assessment li.finding.applies"); n <= applies {
				t.Errorf("%d findings apply after the answer, %d before: the assessment did not follow the fact", n, applies)
			}
			facts, err := s.App.Facts(s.as(t, lena), ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(facts) != 1 || facts[0].Name != fact || facts[0].Value == nil || facts[0].Value.String() != "true" {
				t.Errorf("the case holds the facts %+v", facts)
			}

			b.fillDate("#as-of", "2024-01-15")
			b.fillDate("#compare", "2022-01-10")
			b.click(`#assessment form[method="get"] button`)
			b.at("/cases/" + ref + "?as_of=2024-01-15&compare_with=2022-01-10")
			b.see("What changed from 2022-01-10 to 2024-01-15, and why", "the law as of 2024-01-15")
			if n := b.count(".diff > ul > li"); n == 0 {
				t.Error("no changes are listed between 2022 and 2024")
			}
			if got := b.value("#as-of"); got != "2024-01-15" {
				t.Errorf("the As of field holds %q after Show", got)
			}

			b.click(`#assessment form[method="post"] button`) // Keep this assessment on the case
			b.at("/cases/" + ref)
			if got := b.text("ol.timeline li"); !strings.Contains(got, "Assessment kept") || !strings.Contains(got, "as of 2024-01-15") {
				t.Errorf("the timeline's latest event is %q, want the assessment kept as of 2024-01-15", got)
			}
			kept, err := s.App.Assessments(s.as(t, lena), ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(kept) != 1 || kept[0].AsOf != "2024-01-15" {
				t.Errorf("the case keeps the assessments %+v", kept)
			}
		})
	})
}
