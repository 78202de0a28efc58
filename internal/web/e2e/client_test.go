package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestClientInvitation: a client follows the invitation link a caseworker
// sent, answers a question, and sends a scan through the upload form. The
// caseworker's side (the app layer) then has the answer and the document.
// A link that is not (or no longer) valid ends on the error page.
func TestClientInvitation(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			s.addStaff(t, lena, sanctuary.RoleCaseworker)
			c := s.newCase(t, lena)
			link := s.invite(t, lena, c.Reference, "en")
			b := s.open(t, js)

			b.visit("/invite/sni_thislinkwasneverissued")
			if st := b.click("main form button"); st < 400 {
				t.Errorf("an unknown invitation: status %d", st)
			}
			b.see("That did not work")
			b.notSee("Your case")

			if st := b.visit(link); st != 200 {
				t.Fatalf("invitation page: status %d", st)
			}
			b.see("Invitation", "Press Continue")
			b.click("main form button")
			b.at("/client")
			b.see("Your case", "Send a document")
			b.notSee("Sokolov", "Соколов", c.Reference) // the case stays the staff's

			b.click(`main a[href="/client/questions"]`)
			b.at("/client/questions")
			b.see("Have you received a summons")
			b.check(`input[name="f_has_summons"][value="yes"]`)
			b.click(`main form[action="/client/questions"] button`)
			b.at("/client/questions?saved=1")
			b.see("Your answers were saved")
			if !b.truth(`document.querySelector('input[name="f_has_summons"][value="yes"]').checked`) {
				t.Error("the saved answer is not shown back")
			}
			facts, err := s.App.Facts(s.as(t, lena), c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, f := range facts {
				if f.Name == "has_summons" && f.Value != nil {
					got = f.Value.String() + " " + string(f.Source)
				}
			}
			if got != "true statement" {
				t.Errorf("the caseworker sees has_summons = %q, want true (statement)", got)
			}

			b.click(`main a[href="/client"]`)
			b.at("/client")
			scan := []byte("fictional scan of a summons\n")
			file := filepath.Join(t.TempDir(), "povestka.txt")
			if err := os.WriteFile(file, scan, 0o600); err != nil {
				t.Fatal(err)
			}
			b.fill("#title", "Повестка (fictional)")
			b.attach("#file", file)
			b.click(`main form[enctype="multipart/form-data"] button`)
			b.at("/client?sent=1")
			b.see("The document was received")

			items, err := s.App.ListEvidence(s.as(t, lena), c.Reference)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(scan)
			if len(items) != 1 || items[0].Title != "Повестка (fictional)" || items[0].SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("the caseworker sees the evidence %+v", items)
			}
		})
	})
}
