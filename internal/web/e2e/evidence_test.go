package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/network"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestEvidenceUpload: a caseworker describes a picture on the case page,
// chooses the file and presses "Upload and encrypt". With JavaScript the
// upload goes through XMLHttpRequest (upload.js, for its progress bar),
// without it the form posts; either way she lands on the item's page,
// which describes it, shows its custody history and previews the picture.
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

			b.must(`main details img.preview`)
			b.press(`main details summary`)
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
