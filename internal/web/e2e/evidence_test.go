package e2e

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"

	"github.com/sanctuary-platform/sanctuary"
	ev "github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestEvidenceUpload: a caseworker describes a picture on the case page,
// chooses the file and presses "Upload and encrypt". With JavaScript the
// upload goes through XMLHttpRequest (upload.js, for its progress bar),
// without it the form posts; either way she lands on the item's page,
// which describes it, shows its custody history and, asked to, previews
// the picture.
// The Download link gives back the very bytes she uploaded; the custody
// history has logged the preview's view and the download.
func TestEvidenceUpload(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			ref := s.newCase(t, lena).Reference
			picture := testPNG(t, 160, 90)
			file := filepath.Join(t.TempDir(), "message-from-recruiter.png")
			if err := os.WriteFile(file, picture, 0o600); err != nil {
				t.Fatal(err)
			}
			b := s.open(t, js)
			s.signIn(b, p)
			b.visit("/cases/" + ref)
			b.see("No evidence yet")

			const title = "Screenshot of the recruiter's message (fictional)"
			b.fill("#ev-title", title)
			b.choose("#ev-kind", "screenshot")
			b.fill("#ev-from", "the person, by Signal")
			b.fillDate("#ev-date", "2025-11-03")
			b.attach("#ev-file", file)
			sent := b.record()
			b.click(`#evidence form[data-upload] button`)

			item := regexp.MustCompile(`^/cases/` + ref + `/evidence/[0-9]+$`)
			if !item.MatchString(b.path()) {
				t.Fatalf("the upload led to %s (%s); the page says:\n%s", b.path(), b.mode(), b.text("body"))
			}
			want := network.ResourceTypeDocument // the form posts
			if js {
				want = network.ResourceTypeXHR // upload.js sends it
			}
			var posts []string
			for _, r := range sent() {
				if r.Method == "POST" {
					u, _ := url.Parse(r.URL)
					posts = append(posts, fmt.Sprintf("%s %s", r.Type, u.Path))
				}
			}
			if len(posts) != 1 || posts[0] != fmt.Sprintf("%s /cases/%s/evidence", want, ref) {
				t.Errorf("the upload was sent as %q (%s), want one %s", posts, b.mode(), want)
			}
			if got := b.text("h1"); got != title {
				t.Errorf("the item's page is headed %q", got)
			}
			if got := b.text("main dl dd"); got != "screenshot" { // the first: Kind
				t.Errorf("the item's kind is %q, want screenshot", got)
			}
			b.see("message-from-recruiter.png", "2025-11-03", "the person, by Signal", "Custody history", "ingest")

			if b.has(`img.preview`) {
				t.Errorf("the item's page shows its preview before it is asked for (%s)", b.mode())
			}
			b.click(`main a[href$="?preview=1#preview"]`)
			b.until(`(i => i.complete && i.naturalWidth === 160 && i.naturalHeight === 90)(document.querySelector("img.preview"))`)

			if got := b.download(`main a[download]`); !bytes.Equal(got, picture) {
				t.Errorf("the download has %d bytes that differ from the %d uploaded", len(got), len(picture))
			}
			b.visit(b.path())
			kinds := b.eval(`Array.from(document.querySelectorAll("ol.custody li strong"), e => e.textContent)`)
			if got := fmt.Sprint(kinds); got != "[ingest view download]" {
				t.Errorf("the custody history after the preview and the download holds %s, want [ingest view download]", got)
			}

			b.click(`main a[href="/cases/` + ref + `#evidence"]`)
			b.at("/cases/" + ref)
			b.see(title, "Evidence added")
		})
	})
}

// testPNG draws a picture of the size: stripes, so that it compresses to
// no more than it must and yet is not blank.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(40 + (x/10)%2*160), 90, uint8(200 - y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEvidenceViews counts an item's custody events after each visit, as
// docs/evidence.md ("Views and downloads") promises: opening the item's
// page logs nothing (its preview is not loaded); showing the preview
// logs one view, a picture's as a recording's, whose player fetches it
// in several range requests; a download logs one download.
func TestEvidenceViews(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
			ref := s.newCase(t, lena).Reference
			ctx := s.as(t, lena)
			add := func(name string, kind ev.Kind, content []byte) int64 {
				it, err := s.App.AddEvidence(ctx, ref, ev.Meta{Title: name + " (fictional)", Kind: kind, OriginalName: name},
					bytes.NewReader(content))
				if err != nil {
					t.Fatal(err)
				}
				return it.ID
			}
			picture := add("summons.png", ev.KindSummons, testPNG(t, 160, 90))
			recording := add("interrogation.wav", ev.KindVideo, testWAV(60))
			events := func(id int64) string {
				t.Helper()
				h, err := s.App.EvidenceCustody(ctx, ref, id)
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, e := range h[1:] { // after the ingest
					out = append(out, e.Type)
				}
				return strings.Join(out, " ")
			}
			expect := func(b *tab, id int64, what, want string) {
				t.Helper()
				if got := events(id); got != want {
					t.Errorf("after %s (%s), the custody history after the ingest is %q, want %q", what, b.mode(), got, want)
				}
			}
			b := s.open(t, js)
			s.signIn(b, p)

			item := fmt.Sprintf("/cases/%s/evidence/%d", ref, picture)
			b.visit(item)
			expect(b, picture, "opening the item's page", "")
			b.visit(item)
			expect(b, picture, "opening it again", "")
			b.click(`main a[href$="?preview=1#preview"]`)
			b.until(`(i => i.complete && i.naturalWidth === 160)(document.querySelector("img.preview"))`)
			expect(b, picture, "showing the preview", "view")

			item = fmt.Sprintf("/cases/%s/evidence/%d", ref, recording)
			b.visit(item)
			expect(b, recording, "opening the recording's page", "")
			sent := b.record()
			b.click(`main a[href$="?preview=1#preview"]`)
			b.must("audio[src]")
			// The player fetches the recording, then seeks; the page's
			// own fetches stand for a player that reads in ranges.
			b.eval(`(a => { a.muted = true; a.play(); window.ranges = 0;
				for (const r of ["bytes=0-99", "bytes=400000-400999", "bytes=900000-"]) {
					fetch(a.currentSrc || a.src, {headers: {Range: r}}).then(x => x.status === 206 && x.arrayBuffer()).then(b => b && window.ranges++);
				} })(document.querySelector("audio"))`)
			b.until(`window.ranges === 3 && document.querySelector("audio").readyState >= 1`)
			b.eval(`(a => { a.currentTime = a.duration * 0.9; })(document.querySelector("audio"))`)
			b.until(`(a => !a.seeking && a.readyState >= 2)(document.querySelector("audio"))`)
			n := 0
			for _, r := range sent() {
				if strings.Contains(r.URL, "/content?playback=") {
					n++
				}
			}
			if n < 4 {
				t.Errorf("the playback made %d requests (%s), want several", n, b.mode())
			}
			expect(b, recording, fmt.Sprintf("a playback of %d requests", n), "view")

			if got := b.download(`main a[download]`); len(got) != len(testWAV(60)) {
				t.Errorf("the download has %d bytes, want %d", len(got), len(testWAV(60)))
			}
			expect(b, recording, "a download", "view download")
			expect(b, picture, "all that", "view")
		})
	})
}

// testWAV is a recording of the seconds: a quiet tone, 8 kHz, 16-bit
// mono PCM in a WAV file.
func testWAV(seconds int) []byte {
	const rate = 8000
	n := rate * seconds
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(36 + 2*n))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1)) // PCM
	le(uint16(1)) // mono
	le(uint32(rate))
	le(uint32(2 * rate))
	le(uint16(2))
	le(uint16(16))
	b.WriteString("data")
	le(uint32(2 * n))
	for i := range n {
		le(int16(2000 * math.Sin(2*math.Pi*440*float64(i)/rate)))
	}
	return b.Bytes()
}
