package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// A role is who looks at a page.
type role int

const (
	nobody  role = iota // not signed in
	pending             // Lena past her password, not yet the second factor
	staffer             // Lena, a caseworker, signed in
	client              // a client, in through an invitation
)

// pages are Sanctuary's main pages: a name (the screenshot's file name),
// who looks, and the path. In a path, {ref} stands for a case of Lena's,
// {setup} for a new account's setup link and {invite} for an invitation
// link. TestPagesAccessible checks each page with axe-core, with
// JavaScript on and off; TestScreenshots takes its picture. Add a row for
// a new page.
var pages = []struct {
	name string
	as   role
	path string
}{
	{"home", nobody, "/"},
	{"login", nobody, "/login"},
	{"setup", nobody, "{setup}"},
	{"invite", nobody, "{invite}"},
	{"error", nobody, "/setup/snu_thislinkwasneverissuedbyanyone"},
	{"second-factor", pending, "/login/second-factor"},
	{"home-signed-in", staffer, "/"},
	{"dashboard", staffer, "/dashboard"},
	{"cases", staffer, "/cases"},
	{"case-new", staffer, "/cases/new"},
	{"case", staffer, "/cases/{ref}"},
	{"case-interview", staffer, "/cases/{ref}/interview"},
	{"knowledge", staffer, "/knowledge"},
	{"account", staffer, "/account"},
	{"client", client, "/client"},
	{"client-interview", client, "/client/interview"},
	{"client-questions", client, "/client/questions"},
}

// tour shows pages of a site, keeping one tab for each role.
type tour struct {
	s    *site
	js   bool
	axe  bool // check each page with axe-core
	tabs map[role]*tab
	ref  string // Lena's case
}

func newTour(s *site, js bool) *tour { return &tour{s: s, js: js, axe: true, tabs: map[role]*tab{}} }

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
			p := s.caseworker(t)
			b.visit("/login")
			b.fill("#email", p.Email)
			b.fill("#password", p.Password)
			b.click("main form button")
			b.at("/login/second-factor")
		case staffer:
			s.signIn(b, s.caseworker(t))
		case client:
			b.visit(s.invite(t, lena, tr.caseRef(t), "en"))
			b.click("main form button")
			b.at("/client")
		}
	}
	b.t = t
	switch {
	case strings.Contains(path, "{ref}"):
		path = strings.ReplaceAll(path, "{ref}", tr.caseRef(t))
	case path == "{setup}":
		path = s.setupLink(t, vera, sanctuary.RoleLawyer, "en")
	case path == "{invite}":
		path = s.invite(t, lena, tr.caseRef(t), "en")
	}
	b.visit(path)
	if as != nobody && b.path() == "/login" {
		t.Fatalf("%s: sent to sign in", path)
	}
	return b
}

func (tr *tour) caseRef(t *testing.T) string {
	t.Helper()
	if tr.ref == "" {
		tr.ref = tr.s.newCase(t, tr.s.caseworker(t).Email).Reference
	}
	return tr.ref
}

// caseworker is Lena's account, made the first time it is needed.
func (s *site) caseworker(t *testing.T) staff {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lena.Email == "" {
		s.lena = s.addStaff(t, lena, sanctuary.RoleCaseworker)
	}
	return s.lena
}

// TestPagesAccessible loads every page of pages, with JavaScript on and
// off, and so checks it with axe-core (as a tab does on every page load).
func TestPagesAccessible(t *testing.T) {
	t.Parallel()
	if _, err := axeSource(); err != nil {
		missing(t, err)
	}
	bothModes(t, func(top *testing.T, js bool) {
		tr := newTour(newSite(top, storetest.OpenSQLite(top)), js)
		for _, p := range pages {
			top.Run(p.name, func(t *testing.T) { tr.show(top, t, p.as, p.path) })
		}
	})
}

// sizes are the windows of the screenshots: a laptop, and a phone (its
// pixels doubled, as phones show them). The phone's files end in -phone.
// A screenshot shows what the window shows, the top of a long page.
var sizes = []struct {
	suffix        string
	width, height int64
	opts          []chromedp.EmulateViewportOption
}{
	{"", 1280, 800, nil},
	{"-phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}},
}

// TestScreenshots saves PNGs of every page of pages, at each size, into
// the directory SANCTUARY_SCREENSHOTS names (scripts/screenshots sets it).
// Without it the test is skipped.
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
	tr := newTour(newSite(top, storetest.OpenSQLite(top)), true)
	tr.axe = false
	for _, p := range pages {
		top.Run(p.name, func(t *testing.T) {
			b := tr.show(top, t, p.as, p.path)
			for _, size := range sizes {
				if err := b.step(chromedp.EmulateViewport(size.width, size.height, size.opts...)); err != nil {
					t.Fatal(err)
				}
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
