package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/demo"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// A role is who looks at a page.
type role int

const (
	nobody  role = iota // not signed in
	pending             // the demo's lawyer past her password, not yet the second factor
	staffer             // the demo's lawyer, signed in
	client              // a client, in through an invitation
	admin               // an admin, signed in
)

// pages are Sanctuary's pages: a name (the screenshot's file name), who
// looks, and the path, which may end in #ID to show the part of a long
// page that begins there. Staff pages are seen by the demo's lawyer (see
// newTour); in a path, {ref} stands for the demo's first case, {image}
// and {pdf} for its picture and its PDF, {setup} for a new account's
// setup link, {invite} for an invitation link and {passkey} for a
// passkey link of the demo's lawyer. A row with then goes
// on from the page, as a person does, to the page it shows; shots says
// which screenshots to take.
// TestPagesAccessible checks each page with axe-core, with JavaScript on
// and off; TestScreenshots takes its pictures. Add a row for a new page.
var pages = []struct {
	name  string
	as    role
	path  string
	then  func(b *tab)
	shots shots
}{
	{"home", nobody, "/", nil, both},
	{"login", nobody, "/login", nil, both},
	{"setup", nobody, "{setup}", nil, both},
	{"invite", nobody, "{invite}", nil, both},
	{"error", nobody, "/setup/snu_thislinkwasneverissuedbyanyone", nil, both},
	{"second-factor", pending, "/login/second-factor", nil, both},
	{"home-signed-in", staffer, "/", nil, both},
	{"dashboard", staffer, "/dashboard", nil, both},
	{"cases", staffer, "/cases", nil, both},
	{"case-new", staffer, "/cases/new", nil, both},
	{"case", staffer, "/cases/{ref}", nil, both},
	{"case-assessment", staffer, "/cases/{ref}?compare_with=" + comparedWith + "#assessment", nil, laptop},
	{"case-fact", staffer, "/cases/{ref}?edit=is_deserter#fact-is_deserter", nil, none},
	{"case-edit", staffer, "/cases/{ref}/edit", nil, none},
	{"case-evidence", staffer, "/cases/{ref}#evidence", nil, laptop},
	{"case-timeline", staffer, "/cases/{ref}#notes", nil, laptop},
	{"invitation", staffer, "/cases/{ref}", makeInvitation, laptop},
	{"evidence", staffer, "/cases/{ref}/evidence/{image}", openPreview, both},
	{"evidence-pdf", staffer, "/cases/{ref}/evidence/{pdf}?preview=1", nil, none},
	{"form-expired", nobody, "/login", expireForm, none},
	{"case-interview", staffer, "/cases/{ref}/interview", nil, both},
	{"knowledge", staffer, "/knowledge", nil, laptop},
	{"account", staffer, "/account", nil, both},
	{"admin-sign-in", admin, "/admin/sign-in", nil, none},
	{"passkey-link", nobody, "{passkey}", nil, none},
	{"client", client, "/client", nil, both},
	{"client-interview", client, "/client/interview", nil, both},
	{"client-questions", client, "/client/questions", nil, both},
}

// shots says which screenshots TestScreenshots takes of a page. The
// phone's are the largest files: the long pages of the office get a
// laptop's only, and a state of a page that only needs checking gets
// none, so that docs/screenshots stays small.
type shots int

const (
	both   shots = iota // a laptop's window and a phone's
	laptop              // a laptop's window
	none                // no screenshot
)

// comparedWith is the date the case-assessment page compares today's
// assessment with.
const comparedWith = "2025-06-01"

// makeInvitation opens "Invite the client" and makes an invitation link.
func makeInvitation(b *tab) {
	b.t.Helper()
	b.press("#person details summary")
	if st := b.click(`#person form[action$="/invitations"] button`); st != 201 {
		b.t.Fatalf("make an invitation: status %d", st)
	}
	b.see("Invitation made")
}

// openPreview opens an item's preview and waits for its picture.
func openPreview(b *tab) {
	b.t.Helper()
	b.click(`main a[href$="?preview=1#preview"]`)
	b.until(`(i => i.complete && i.naturalWidth > 0)(document.querySelector("img.preview"))`)
}

// expireForm sends the sign-in form after the browser lost its
// pre-session cookie, as a form kept open past a browser restart is.
func expireForm(b *tab) {
	b.t.Helper()
	b.forgetCookie("sanctuary-csrf")
	b.fill("#email", lena)
	b.fill("#password", password)
	if st := b.click("main form button"); st != 403 {
		b.t.Fatalf("a sign-in form without its token: status %d, want 403", st)
	}
	b.see("This form has expired")
}

// tour shows pages of a site, keeping one tab for each role.
type tour struct {
	s     *site
	js    bool
	axe   bool // check each page with axe-core
	tabs  map[role]*tab
	staff staff // the demo's lawyer
	ref   string
	// vars are what the placeholders of a path stand for, but {setup}
	// and {invite}, which are made anew each time.
	vars *strings.Replacer
}

// newTour fills the site with the demo's fictional people (package demo):
// three cases with facts, assessments, evidence (a picture, a PDF, a text),
// notes, deadlines and timelines.
func newTour(t *testing.T, s *site, js bool) *tour {
	t.Helper()
	// Before anything takes a code from the site's clock: the demo sets
	// up its lawyer with a code of the real time.
	l, err := demo.Seed(context.Background(), s.App)
	if err != nil {
		t.Fatalf("seed the demo: %v", err)
	}
	tr := &tour{s: s, js: js, axe: true, tabs: map[role]*tab{},
		staff: staff{Email: l.Email, Password: l.Password, Secret: l.TOTPSecret}, ref: l.Cases[0].Reference}
	items, err := s.App.ListEvidence(s.as(t, l.Email), tr.ref)
	if err != nil {
		t.Fatal(err)
	}
	file := map[string]string{}
	for _, it := range items {
		ext := strings.TrimPrefix(filepath.Ext(it.OriginalName), ".")
		if _, ok := file[ext]; !ok {
			file[ext] = strconv.FormatInt(it.ID, 10)
		}
	}
	if file["png"] == "" || file["pdf"] == "" {
		t.Fatalf("the demo's case %s has no picture or no PDF: %+v", tr.ref, items)
	}
	tr.vars = strings.NewReplacer("{ref}", tr.ref, "{image}", file["png"], "{pdf}", file["pdf"])
	return tr
}

// show loads the path as the role, in the role's tab, and returns the
// tab. The first time, the tab is opened and signed in; it lasts as long
// as the test that made the tour.
func (tr *tour) show(top, t *testing.T, as role, path string) *tab {
	t.Helper()
	s := tr.s
	b := tr.tabs[as]
	if b == nil {
		b = s.open(top, tr.js)
		tr.tabs[as] = b
		b.t, b.axe = t, b.axe && tr.axe
		switch as {
		case pending:
			b.visit("/login")
			b.fill("#email", tr.staff.Email)
			b.fill("#password", tr.staff.Password)
			b.click("main form button")
			b.at("/login/second-factor")
		case staffer:
			s.signIn(b, tr.staff)
		case client:
			b.visit(s.invite(t, tr.staff.Email, tr.ref, "en"))
			b.click("main form button")
			b.at("/client")
		case admin:
			s.signIn(b, s.addStaff(t, "root@ngo.example", sanctuary.RoleAdmin))
		}
	}
	b.t = t
	switch path {
	case "{setup}":
		path = s.setupLink(t, vera, sanctuary.RoleLawyer, "en")
	case "{invite}":
		path = s.invite(t, tr.staff.Email, tr.ref, "en")
	case "{passkey}":
		link, err := s.App.IssuePasskeyLink(operator(), tr.staff.Email)
		if err != nil {
			t.Fatal(err)
		}
		path = "/passkey/" + link
	default:
		path = tr.vars.Replace(path)
	}
	path, part, _ := strings.Cut(path, "#")
	b.visit(path)
	if as != nobody && b.path() == "/login" {
		t.Fatalf("%s: sent to sign in", path)
	}
	scrollTo(b, part)
	return b
}

// scrollTo scrolls the element with the id to the top of the window,
// as a link to #id does.
func scrollTo(b *tab, id string) {
	b.t.Helper()
	if id == "" {
		return
	}
	b.must("#" + id)
	b.eval(fmt.Sprintf(`document.getElementById(%s).scrollIntoView({block: "start", behavior: "instant"})`, quote(id)))
}

// TestPagesAccessible loads every page of pages, with JavaScript on and
// off, and so checks it with axe-core (as a tab does on every page load).
func TestPagesAccessible(t *testing.T) {
	t.Parallel()
	if _, err := axeSource(); err != nil {
		missing(t, err)
	}
	bothModes(t, func(top *testing.T, js bool) {
		tr := newTour(top, newSite(top, storetest.OpenSQLite(top)), js)
		for _, p := range pages {
			top.Run(p.name, func(t *testing.T) {
				b := tr.show(top, t, p.as, p.path)
				if p.then != nil {
					p.then(b)
				}
			})
		}
	})
}

// sizes are the windows of the screenshots: a laptop, and a phone (its
// pixels doubled, as phones show them). The phone's files end in -phone.
// A screenshot shows what the window shows: the top of a long page, or
// the part the path's #ID names.
var sizes = []struct {
	suffix        string
	width, height int64
	opts          []chromedp.EmulateViewportOption
	phone         bool
}{
	{"", 1280, 800, nil, false},
	{"-phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}, true},
}

// TestScreenshots saves PNGs of the pages of pages, at the sizes their
// shots ask for, into the directory SANCTUARY_SCREENSHOTS names
// (scripts/screenshots sets it). Without it the test is skipped.
func TestScreenshots(top *testing.T) {
	dir := os.Getenv("SANCTUARY_SCREENSHOTS")
	if dir == "" {
		top.Skip("set SANCTUARY_SCREENSHOTS to a directory to take screenshots (scripts/screenshots)")
	}
	if !filepath.IsAbs(dir) {
		top.Fatalf("SANCTUARY_SCREENSHOTS=%s: give an absolute path", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		top.Fatal(err)
	}
	tr := newTour(top, newSite(top, storetest.OpenSQLite(top)), true)
	tr.axe = false
	for _, p := range pages {
		if p.shots == none {
			continue
		}
		top.Run(p.name, func(t *testing.T) {
			b := tr.show(top, t, p.as, p.path)
			if p.then != nil {
				p.then(b)
			}
			_, part, _ := strings.Cut(p.path, "#")
			for _, size := range sizes {
				if size.phone && p.shots != both {
					continue
				}
				if err := b.step(chromedp.EmulateViewport(size.width, size.height, size.opts...)); err != nil {
					t.Fatal(err)
				}
				scrollTo(b, part) // again: the layout changed with the window

				png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot()) // the window, as PNG
				if err != nil {
					t.Fatalf("screenshot of %s: %v", b.path(), err)
				}
				if err := os.WriteFile(filepath.Join(dir, p.name+size.suffix+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.step(chromedp.ResetViewport()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
