package e2e

import (
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestSetupAndSignIn: a new lawyer opens her setup link, chooses a
// password, reads the key off the page into her authenticator app and
// finishes setup; she signs in with password and code, signs out, and
// signs in again, where a wrong code is refused first.
func TestSetupAndSignIn(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			link := s.setupLink(t, vera, sanctuary.RoleLawyer, "en")
			b := s.open(t, js)

			if st := b.visit(link); st != 200 {
				t.Fatalf("setup page: status %d", st)
			}
			b.see("Set up your account", vera)
			if !b.visible(`img[alt^="QR code"]`) {
				t.Error("the setup page shows no QR code")
			}
			secret := b.text("code.secret")
			if len(secret) < 32 {
				t.Fatalf("the setup page shows the key %q", secret)
			}
			b.fill("#password", password)
			b.fill("#password2", password)
			b.fill("#code", s.code(t, secret))
			if st := b.click("main form button"); st != 200 {
				t.Fatalf("finish setup: status %d", st)
			}
			b.see("Your recovery codes")
			if n := b.count("ol.codes code"); n < 8 {
				t.Errorf("%d recovery codes shown", n)
			}
			b.click("main a")
			b.at("/login")

			signIn := func() {
				t.Helper()
				b.fill("#email", vera)
				b.fill("#password", password)
				if st := b.click("main form button"); st != 200 {
					t.Fatalf("password: status %d", st)
				}
				b.at("/login/second-factor")
				b.see("Second factor")
			}
			signIn()
			b.fill("#code", s.code(t, secret))
			b.click(`form[action="/login/totp"] button`)
			b.at("/")
			b.see("Signed in as " + vera)

			b.click(`main a[href="/account"]`)
			b.at("/account")
			b.see("Account", "Sessions", vera)
			// passkey.js shows its button only when it runs: proof that
			// the tab's JavaScript is on or off as the test says.
			if got := b.visible("#passkey-button"); got != js {
				t.Errorf("the add-a-passkey button is visible=%v with %s", got, b.mode())
			}

			b.click(`header form[action="/logout"] button`)
			b.at("/")
			b.notSee("Signed in as")
			if b.cookie("sanctuary") != "" {
				t.Error("the session cookie outlives signing out")
			}
			if b.visit("/account"); b.path() != "/login" {
				t.Errorf("the account page after signing out: at %s", b.path())
			}

			signIn()
			b.fill("#code", s.wrongCode(t, secret))
			if st := b.click(`form[action="/login/totp"] button`); st != 401 {
				t.Errorf("a wrong code: status %d, want 401", st)
			}
			if got := b.text(`[role="alert"]`); got == "" {
				t.Errorf("a wrong code shows no error; the page says:\n%s", b.text("body"))
			}
			b.see("Second factor")
			b.notSee("Signed in as")
			b.fill("#code", s.code(t, secret))
			b.click(`form[action="/login/totp"] button`)
			b.at("/")
			b.see("Signed in as " + vera)
		})
	})
}
