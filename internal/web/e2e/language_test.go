package e2e

import (
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestLanguageSwitch: the ru/en/de links in the header switch the page's
// language, and the choice stays on the pages that follow.
func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, js bool) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			s := newSite(t, db)
			b := s.open(t, js)
			lang := func(want, signIn string) {
				t.Helper()
				if got := b.lang(); got != want {
					t.Errorf("%s is in %q, want %q", b.path(), got, want)
				}
				b.see(signIn)
			}

			b.visit("/")
			lang("en", "Sign in") // the browser asks for English
			b.click(`header nav a[hreflang="de"]`)
			lang("de", "Anmelden")
			b.click(`main a[href="/login"]`)
			b.at("/login")
			lang("de", "Anmelden")
			if got := b.text("main form button"); got != "Anmelden" {
				t.Errorf("the sign-in button says %q, want Anmelden", got)
			}

			b.click(`header nav a[hreflang="ru"]`)
			lang("ru", "Войти")
			if got := b.text("main form button"); got != "Войти" {
				t.Errorf("the sign-in button says %q, want Войти", got)
			}
			b.fill("#email", "nobody@ngo.example")
			b.fill("#password", "not a password of anyone")
			b.click("main form button") // refused: the page that says so is in Russian too
			lang("ru", "Войти")
			b.click("header a.brand")
			b.at("/")
			lang("ru", "Войти")

			b.click(`header nav a[hreflang="en"]`)
			lang("en", "Sign in")
			b.visit("/login")
			lang("en", "Sign in")
		})
	})
}
