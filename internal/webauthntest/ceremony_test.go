package webauthntest_test

// These tests run the full server-side ceremonies of github.com/go-webauthn/webauthn against
// the software authenticator.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

const (
	rpID   = "localhost"
	origin = "http://localhost:8080"
)

// user implements webauthn.User.
type user struct {
	id    []byte
	name  string
	creds []webauthn.Credential
}

func (u *user) WebAuthnID() []byte                         { return u.id }
func (u *user) WebAuthnName() string                       { return u.name }
func (u *user) WebAuthnDisplayName() string                { return u.name }
func (u *user) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// update stores c, replacing the credential with the same ID, as a relying party must after
// each login to keep the sign counter.
func (u *user) update(c *webauthn.Credential) {
	for i := range u.creds {
		if bytes.Equal(u.creds[i].ID, c.ID) {
			u.creds[i] = *c
			return
		}
	}
	u.creds = append(u.creds, *c)
}

func newRP(t *testing.T) *webauthn.WebAuthn {
	t.Helper()
	rp, err := webauthn.New(&webauthn.Config{RPID: rpID, RPDisplayName: "Sanctuary", RPOrigins: []string{origin}})
	if err != nil {
		t.Fatalf("webauthn.New: %v", err)
	}
	return rp
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post is the request a browser's fetch would make with the response JSON as its body.
func post(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// register runs BeginRegistration → Create → FinishRegistration and stores the credential.
func register(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user, opts ...webauthn.RegistrationOption) *webauthn.Credential {
	t.Helper()
	creation, session, err := rp.BeginRegistration(u, opts...)
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	resp, err := a.Create(origin, mustJSON(t, creation))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	cred, err := rp.FinishRegistration(u, *session, post(resp))
	if err != nil {
		t.Fatalf("FinishRegistration: %v", protocolDetail(err))
	}
	u.update(cred)
	return cred
}

// beginLogin runs BeginLogin → Get and returns the session and the response JSON.
func beginLogin(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user, opts ...webauthn.LoginOption) (webauthn.SessionData, []byte) {
	t.Helper()
	assertion, session, err := rp.BeginLogin(u, opts...)
	if err != nil {
		t.Fatalf("BeginLogin: %v", err)
	}
	resp, err := a.Get(origin, mustJSON(t, assertion))
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return *session, resp
}

// login runs a whole login ceremony and stores the updated credential.
func login(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) *webauthn.Credential {
	t.Helper()
	session, resp := beginLogin(t, rp, a, u)
	cred, err := rp.FinishLogin(u, session, post(resp))
	if err != nil {
		t.Fatalf("FinishLogin: %v", protocolDetail(err))
	}
	u.update(cred)
	return cred
}

// protocolDetail adds the developer information go-webauthn keeps out of Error().
func protocolDetail(err error) any {
	if e, ok := err.(*protocol.Error); ok {
		return e.Details + ": " + e.DevInfo
	}
	return err
}

func TestRegisterAndLogin(t *testing.T) {
	rp, a := newRP(t), webauthntest.New()
	alice := &user{id: []byte("alice-handle"), name: "alice"}
	cred := register(t, rp, a, alice)
	if cred.AttestationFormat != "none" || !cred.Flags.UserPresent || !cred.Flags.UserVerified ||
		cred.Authenticator.SignCount != 0 || !bytes.Equal(cred.Authenticator.AAGUID, make([]byte, 16)) {
		t.Errorf("registered credential = %+v", cred)
	}
	if held := a.Credentials(); len(held) != 1 || !bytes.Equal(held[0].ID, cred.ID) ||
		held[0].RPID != rpID || !bytes.Equal(held[0].UserHandle, alice.id) {
		t.Errorf("Credentials() = %+v", held)
	}
	for want := uint32(1); want <= 3; want++ {
		got := login(t, rp, a, alice)
		if got.Authenticator.SignCount != want || got.Authenticator.CloneWarning {
			t.Errorf("login %d: SignCount %d CloneWarning %v", want, got.Authenticator.SignCount, got.Authenticator.CloneWarning)
		}
	}
}

// TestParsedBody uses the parse-then-validate entry points instead of the *http.Request ones.
func TestParsedBody(t *testing.T) {
	rp, a := newRP(t), webauthntest.New()
	bob := &user{id: []byte("bob-handle"), name: "bob"}
	creation, session, err := rp.BeginRegistration(bob)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Create(origin, mustJSON(t, creation))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBody(bytes.NewReader(resp))
	if err != nil {
		t.Fatalf("ParseCredentialCreationResponseBody: %v", protocolDetail(err))
	}
	cred, err := rp.CreateCredential(bob, *session, parsed)
	if err != nil {
		t.Fatalf("CreateCredential: %v", protocolDetail(err))
	}
	if len(cred.Transport) != 1 || cred.Transport[0] != protocol.Internal || cred.Attestation.PublicKeyAlgorithm != -7 {
		t.Errorf("credential transports %v alg %d", cred.Transport, cred.Attestation.PublicKeyAlgorithm)
	}
	bob.update(cred)

	assertion, lsession, err := rp.BeginLogin(bob)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = a.Get(origin, mustJSON(t, assertion))
	if err != nil {
		t.Fatal(err)
	}
	pa, err := protocol.ParseCredentialRequestResponseBytes(resp)
	if err != nil {
		t.Fatalf("ParseCredentialRequestResponseBytes: %v", protocolDetail(err))
	}
	if _, err := rp.ValidateLogin(bob, *lsession, pa); err != nil {
		t.Fatalf("ValidateLogin: %v", protocolDetail(err))
	}
}

func TestDiscoverableLogin(t *testing.T) {
	rp, a := newRP(t), webauthntest.New()
	users := map[string]*user{}
	for _, name := range []string{"alice", "bob"} {
		u := &user{id: []byte(name + "-handle"), name: name}
		register(t, rp, a, u, webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))
		users[string(u.id)] = u
	}
	handler := func(rawID, userHandle []byte) (webauthn.User, error) {
		u, ok := users[string(userHandle)]
		if !ok {
			t.Fatalf("unknown user handle %q", userHandle)
		}
		return u, nil
	}

	// With no allow list the authenticator answers with its newest passkey, bob's.
	assertion, session, err := rp.BeginDiscoverableLogin()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Get(origin, mustJSON(t, assertion))
	if err != nil {
		t.Fatal(err)
	}
	cred, err := rp.FinishDiscoverableLogin(handler, *session, post(resp))
	if err != nil {
		t.Fatalf("FinishDiscoverableLogin: %v", protocolDetail(err))
	}
	if !bytes.Equal(cred.ID, users["bob-handle"].creds[0].ID) || cred.Authenticator.SignCount != 1 {
		t.Errorf("discoverable login used %x count %d, want bob's", cred.ID, cred.Authenticator.SignCount)
	}

	// ForceCredentialID picks the account, here alice's; FinishPasskeyLogin also returns the user.
	a.Faults.ForceCredentialID = users["alice-handle"].creds[0].ID
	assertion, session, err = rp.BeginDiscoverableLogin()
	if err != nil {
		t.Fatal(err)
	}
	if resp, err = a.Get(origin, mustJSON(t, assertion)); err != nil {
		t.Fatal(err)
	}
	who, _, err := rp.FinishPasskeyLogin(handler, *session, post(resp))
	if err != nil {
		t.Fatalf("FinishPasskeyLogin: %v", protocolDetail(err))
	}
	if who.WebAuthnName() != "alice" {
		t.Errorf("passkey login as %s, want alice", who.WebAuthnName())
	}
}

// TestRPConfig records what go-webauthn accepts: "localhost" with an http origin works (the
// other tests), an IP address is refused as RP ID, and the authenticator refuses it as well.
func TestRPConfig(t *testing.T) {
	if _, err := webauthn.New(&webauthn.Config{RPID: "127.0.0.1", RPDisplayName: "Sanctuary",
		RPOrigins: []string{"http://127.0.0.1:8080"}}); err == nil {
		t.Error("go-webauthn accepted RP ID 127.0.0.1")
	}
	rp := newRP(t)
	creation, _, err := rp.BeginRegistration(&user{id: []byte("x"), name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	opts := mustJSON(t, creation)
	if _, err := webauthntest.New().Create("http://127.0.0.1:8080", opts); err == nil {
		t.Error("authenticator accepted RP ID localhost at origin http://127.0.0.1:8080")
	}
	opts = bytes.Replace(opts, []byte(`"id":"localhost"`), []byte(`"id":"127.0.0.1"`), 1)
	if _, err := webauthntest.New().Create("http://127.0.0.1:8080", opts); err == nil {
		t.Error("authenticator accepted RP ID 127.0.0.1")
	}
}
