package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestDeadlines: a caseworker types a due date and what is due into the
// case page's deadline form and adds it; her dashboard lists it under
// "Upcoming deadlines" with an overdue one of the case (and not one due
// in two months); from there she goes back to the case and marks it done,
// and it leaves the dashboard.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			ref := s.newCase(t, lena).Reference
			today := casefile.DateOf(s.Clock.Now().UTC())
			const (
				label   = "Send the translated summons to the lawyer (fictional)"
				overdue = "Ask the consulate for an appointment (fictional)"
				later   = "Renew the residence permit (fictional)"
			)
			for _, d := range []struct {
				in    int
				label string
			}{{-2, overdue}, {60, later}} {
				if _, err := s.App.AddDeadline(s.as(t, lena), ref, today.AddDays(d.in), d.label); err != nil {
					t.Fatal(err)
				}
			}
			due := today.AddDays(10).String()
			b := s.open(t, js)
			s.signIn(b, p)
			b.visit("/cases/" + ref)

			b.fillDate("#dl-due", due)
			b.fill("#dl-label", label)
			b.click(`#deadlines form[action="/cases/` + ref + `/deadlines"] button`)
			b.at("/cases/" + ref)
			if got := b.text("#deadlines ul.deadlines"); !strings.Contains(got, due+" — "+label) {
				t.Errorf("the case's deadlines read:\n%s\nwant %s — %s", got, due, label)
			}
			if got := b.text("#deadlines li.overdue"); !strings.Contains(got, overdue) || !strings.Contains(got, "overdue") {
				t.Errorf("the overdue deadline reads %q", got)
			}
			b.see("Deadline set")

			b.click(`header nav a[href="/dashboard"]`)
			b.at("/dashboard")
			upcoming := b.text(`section[aria-labelledby="h-deadlines"]`)
			if !strings.HasPrefix(upcoming, "Upcoming deadlines") {
				t.Errorf("the dashboard's deadlines section reads:\n%s", upcoming)
			}
			i, j := strings.Index(upcoming, overdue), strings.Index(upcoming, label)
			if i < 0 || j < 0 || i > j || !strings.Contains(upcoming, ref) || strings.Contains(upcoming, later) {
				t.Errorf("the dashboard's upcoming deadlines read:\n%s\nwant %q (overdue), then %q, and not %q", upcoming, overdue, label, later)
			}

			b.click(`section[aria-labelledby="h-deadlines"] li:not(.overdue) a[href="/cases/` + ref + `#deadlines"]`)
			b.at("/cases/" + ref)
			ds, err := s.App.Deadlines(s.as(t, lena), ref)
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			for _, d := range ds {
				if d.Label == label {
					id = d.ID
				}
			}
			if id == 0 {
				t.Fatalf("the case has no deadline %q: %+v", label, ds)
			}
			done := `form[action="/cases/` + ref + `/deadlines/` + strconv.FormatInt(id, 10) + `/done"]`
			b.click(done + " button")
			b.at("/cases/" + ref)
			if b.has(done) {
				t.Error("a deadline marked done can still be marked done")
			}
			if got := b.text("#deadlines li.done"); !strings.Contains(got, label) || !strings.Contains(got, "done by "+lena) {
				t.Errorf("the deadline done reads %q", got)
			}
			b.see("Deadline done")

			b.click(`header nav a[href="/dashboard"]`)
			upcoming = b.text(`section[aria-labelledby="h-deadlines"]`)
			if strings.Contains(upcoming, label) || !strings.Contains(upcoming, overdue) {
				t.Errorf("after marking it done, the dashboard's upcoming deadlines read:\n%s", upcoming)
			}
		})
	})
}
