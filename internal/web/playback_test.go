package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestPlayback_ViewRule checks the rule of docs/evidence.md ("Views and
// downloads") without a browser: an item's page logs nothing, not even
// with its preview shown; the preview's content URL carries a playback
// token, whose first request logs one view and whose later (range)
// requests log nothing, also when they come all at once; the token works
// only in its session, for its item and until it expires; every download
// is one download.
func TestPlayback_ViewRule(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		ctx := s.as(lena)
		c, err := s.a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}, Assignees: []string{lena, jana}})
		if err != nil {
			t.Fatal(err)
		}
		video := bytes.Repeat([]byte("fictional recording of a summons being handed over "), 20000)
		add := func(name string) int64 {
			it, err := s.a.AddEvidence(ctx, c.Reference, evidence.Meta{Title: "Recording (fictional)", Kind: evidence.KindVideo,
				OriginalName: name}, bytes.NewReader(video))
			if err != nil {
				t.Fatal(err)
			}
			return it.ID
		}
		id, other := add("handover.mp4"), add("handover-copy.mp4")
		item := fmt.Sprintf("/cases/%s/evidence/%d", c.Reference, id)
		events := func() []string {
			t.Helper()
			h, err := s.a.EvidenceCustody(ctx, c.Reference, id)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range h[1:] { // after the ingest
				out = append(out, e.Type)
			}
			return out
		}
		expect := func(what string, want ...string) {
			t.Helper()
			if got := events(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: the item's custody history after its ingest is %q, want %q", what, got, want)
			}
		}
		b, _ := s.signedIn(lena)

		page := b.get(item)
		if page.status != 200 || contentURL.MatchString(page.body) || !strings.Contains(page.body, `href="`+item+`?preview=1#preview"`) {
			t.Fatalf("the item's page (%d) embeds its content, or offers no preview link:\n%s", page.status, page.body)
		}
		expect("the item's page")
		shown := b.get(item + "?preview=1")
		src := playbackURL(t, shown.body)
		expect("the page with its preview (the page alone, not the video)")

		get := func(b *browser, u, rng string) int {
			t.Helper()
			req, _ := http.NewRequest("GET", s.base+u, nil)
			if rng != "" {
				req.Header.Set("Range", rng)
			}
			return b.do(req).status
		}
		for _, rng := range []string{"bytes=0-", "bytes=500000-", "bytes=100-199", "bytes=1000-1999"} {
			if st := get(b, src, rng); st != http.StatusPartialContent {
				t.Fatalf("range %s: %d", rng, st)
			}
		}
		expect("one playback of four range requests", "view")

		// A second playback: its first requests come at once.
		src2 := playbackURL(t, b.get(item+"?preview=1").body)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if st := get(b, src2, fmt.Sprintf("bytes=%d-%d", i*1000, i*1000+99)); st != http.StatusPartialContent {
					t.Errorf("a parallel range request: %d", st)
				}
			}()
		}
		close(start)
		wg.Wait()
		expect("a second playback of 32 range requests at once", "view", "view")

		// The token is the session's, the person's and the item's.
		again, _ := s.signedIn(lena)
		colleague, _ := s.signedIn(jana)
		for name, st := range map[string]int{
			"another session of the same person": get(again, src2, ""),
			"a colleague on the team":            get(colleague, src2, ""),
			"no session":                         get(newBrowser(t, s.base), src2, ""),
			"another item":                       get(b, strings.Replace(src2, fmt.Sprintf("/evidence/%d/", id), fmt.Sprintf("/evidence/%d/", other), 1), ""),
			"a made-up token":                    get(b, item+"/content?playback=snp_"+strings.Repeat("a", 52), ""),
			"a token that is not one":            get(b, item+"/content?playback=x", ""),
		} {
			if st != http.StatusForbidden && st != http.StatusSeeOther {
				t.Errorf("the playback token with %s: %d, want 403", name, st)
			}
		}
		expect("refused playbacks", "view", "view")

		// "Open in a new tab" gets a token of its own on the way.
		res := b.get(item + "/content?inline=1")
		if res.status != http.StatusSeeOther || !playback.MatchString(res.header.Get("Location")) {
			t.Fatalf("open in a new tab: %d %q", res.status, res.header.Get("Location"))
		}
		expect("the redirect to a new playback", "view", "view")
		get(b, res.header.Get("Location"), "")
		get(b, res.header.Get("Location"), "bytes=10-20")
		expect("a new tab", "view", "view", "view")

		// Every download is a download.
		get(b, item+"/content", "")
		get(b, item+"/content", "bytes=0-99")
		expect("two downloads", "view", "view", "view", "download", "download")

		// A token expires, and dies with its session.
		long := s.longSession(lena)
		src3 := playbackURL(t, long.get(item+"?preview=1").body)
		now, later := db.Now, time.Duration(0)
		db.Now = func() time.Time { return now().Add(later) }
		for later < app.PlaybackTTL+time.Minute { // the session stays in use, the token grows old
			later += 20 * time.Minute
			if p := long.get("/account"); p.status != 200 {
				t.Fatalf("the long session ended after %v: %d", later, p.status)
			}
		}
		if st := get(long, src3, ""); st != http.StatusForbidden {
			t.Errorf("a token after %v: %d, want 403", later, st)
		}
		db.Now = now
		src4 := playbackURL(t, b.get(item+"?preview=1").body)
		csrf := field(t, b.get("/account").body, "csrf")
		b.post("/logout", map[string][]string{"csrf": {csrf}})
		if st := get(b, src4, ""); st == http.StatusPartialContent || st == http.StatusOK {
			t.Errorf("a token after its session ended: %d", st)
		}
		expect("expired and ended tokens", "view", "view", "view", "download", "download")
	})
}

var (
	contentURL  = regexp.MustCompile(`(?:src|data)="[^"]*/content`)
	playback    = regexp.MustCompile(`/content\?playback=(snp_[a-z2-7]{52})$`)
	playbackSrc = regexp.MustCompile(`<video class="preview"[^>]* src="([^"]+/content\?playback=snp_[a-z2-7]{52})"`)
)

// playbackURL is the preview's content URL on an item's page.
func playbackURL(t *testing.T, body string) string {
	t.Helper()
	m := playbackSrc.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page shows no preview with a playback token:\n%s", body)
	}
	return m[1]
}

// longSession is a browser with a session of the staff member that lasts
// a day, if used every half hour.
func (s *staffSite) longSession(email string) *browser {
	s.tb.Helper()
	ctx := context.Background()
	token, hash := account.NewToken(account.PrefixSession)
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		sess := store.Session{TokenHash: hash, UserID: u.ID, Stage: store.StageFull, CSRFToken: "unused",
			ExpiresAt: s.db.Now().Add(24 * time.Hour)}
		return tx.InsertSession(ctx, &sess)
	})
	if err != nil {
		s.tb.Fatal(err)
	}
	b := newBrowser(s.tb.(*testing.T), s.base)
	b.c.Jar.SetCookies(mustURL(s.base), []*http.Cookie{{Name: "sanctuary", Value: token, Path: "/"}})
	return b
}
