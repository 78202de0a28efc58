package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// authenticator gives the tab Chromium's virtual authenticator: a passkey
// on "this device" that answers at once, as a phone or laptop would.
func (b *tab) authenticator() {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		b.t.Fatalf("WebAuthn domain: %v", err)
	}
	opts := &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
		Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
		IsUserVerified: true, AutomaticPresenceSimulation: true}
	if _, err := chromedp.Call(b.ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: opts}); err != nil {
		b.t.Fatalf("virtual authenticator: %v", err)
	}
}

// TestPasskeyRequired: an admin requires passkeys of lawyers on the
// sign-in rules page. A lawyer without a passkey is then offered no code
// field at the second factor; with the operator's passkey link and her
// password she registers a passkey in Chromium (its virtual
// authenticator, through passkey.js) and is signed in; later she signs in
// with password and passkey. Every page passes axe-core.
func TestPasskeyRequired(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.OpenSQLite(t))
	root := s.addStaff(t, "root@ngo.example", sanctuary.RoleAdmin)
	lawyer := s.addStaff(t, vera, sanctuary.RoleLawyer)

	admin := s.open(t, true)
	s.signIn(admin, root)
	admin.click(`header a[href="/admin/sign-in"]`)
	admin.see("Sign-in rules", "passkey or code")
	if st := admin.click(`form:has(input[name="role"][value="lawyer"]) button`); st != 200 {
		t.Fatalf("require passkeys of lawyers: status %d", st)
	}
	admin.at("/admin/sign-in")
	admin.see("passkey only", vera)

	b := s.open(t, true)
	b.authenticator()
	b.visit("/login")
	b.fill("#email", vera)
	b.fill("#password", password)
	b.click("main form button")
	b.at("/login/second-factor")
	b.see("signs in with a passkey only", "passkey link")
	if b.has("#code") || b.has("#recovery") {
		t.Error("the second-factor page of a lawyer offers a code field")
	}

	link, err := s.App.IssuePasskeyLink(operator(), vera)
	if err != nil {
		t.Fatal(err)
	}
	if st := b.visit("/passkey/" + link); st != 200 {
		t.Fatalf("passkey link: status %d", st)
	}
	b.see("Register a passkey", vera)
	b.fill("#password", lawyer.Password)
	b.click("main form button")
	b.at("/login/passkey-enroll")
	b.click("#passkey-button")
	b.at("/")
	b.see("Signed in as " + vera)

	b.click(`header form[action="/logout"] button`)
	b.visit("/login")
	b.fill("#email", vera)
	b.fill("#password", password)
	b.click("main form button")
	b.at("/login/second-factor")
	b.click("#passkey-button")
	b.at("/")
	b.see("Signed in as " + vera)
}
