package webauthntest_test

import (
	"errors"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sanctuary-platform/sanctuary/internal/webauthntest"
)

// TestLoginRejected checks that go-webauthn's FinishLogin rejects each kind of bad assertion.
func TestLoginRejected(t *testing.T) {
	tests := []struct {
		name string
		// respond returns the session to finish with and the response to post.
		respond func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte)
	}{
		{"tampered signature", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			a.Faults.FlipSignatureBit = true
			return beginLogin(t, rp, a, u)
		}},
		{"wrong key", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			a.Faults.WrongKey = true
			return beginLogin(t, rp, a, u)
		}},
		{"wrong origin", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			assertion, session, err := rp.BeginLogin(u)
			if err != nil {
				t.Fatal(err)
			}
			// Same host, so the browser lets the page use RP ID localhost; another port.
			resp, err := a.Get("http://localhost:9999", mustJSON(t, assertion))
			if err != nil {
				t.Fatal(err)
			}
			return *session, resp
		}},
		{"old challenge", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			_, resp := beginLogin(t, rp, a, u) // answers the first options
			session, _ := beginLogin(t, rp, a, u)
			return session, resp
		}},
		{"credential not in allowCredentials", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			second := register(t, rp, a, u) // u owns both credentials
			a.Faults.ForceCredentialID = second.ID
			return beginLogin(t, rp, a, u, webauthn.WithAllowedCredentials([]protocol.CredentialDescriptor{u.creds[0].Descriptor()}))
		}},
		{"user verification required but not performed", func(t *testing.T, rp *webauthn.WebAuthn, a *webauthntest.Authenticator, u *user) (webauthn.SessionData, []byte) {
			a.Faults.NoUserVerification = true
			return beginLogin(t, rp, a, u, webauthn.WithUserVerification(protocol.VerificationRequired))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, a := newRP(t), webauthntest.New()
			u := &user{id: []byte("carol-handle"), name: "carol"}
			register(t, rp, a, u)
			login(t, rp, a, u) // the honest path works first
			session, resp := tt.respond(t, rp, a, u)
			if cred, err := rp.FinishLogin(u, session, post(resp)); err == nil {
				t.Fatalf("FinishLogin succeeded: %+v", cred)
			} else {
				t.Logf("rejected: %v", protocolDetail(err))
			}
		})
	}
}

// TestRegistrationRejected checks that FinishRegistration rejects bad attestations.
func TestRegistrationRejected(t *testing.T) {
	tests := []struct {
		name   string
		origin string
		faults webauthntest.Faults
		opts   []webauthn.RegistrationOption
		stale  bool // answer options older than the session
	}{
		{name: "wrong origin", origin: "https://localhost"},
		{name: "old challenge", stale: true},
		{name: "user verification required but not performed", faults: webauthntest.Faults{NoUserVerification: true},
			opts: []webauthn.RegistrationOption{webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
				UserVerification: protocol.VerificationRequired})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rp, a := newRP(t), webauthntest.New()
			a.Faults = tt.faults
			u := &user{id: []byte("dave-handle"), name: "dave"}
			creation, session, err := rp.BeginRegistration(u, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if tt.stale {
				if _, session, err = rp.BeginRegistration(u, tt.opts...); err != nil {
					t.Fatal(err)
				}
			}
			o := origin
			if tt.origin != "" {
				o = tt.origin
			}
			resp, err := a.Create(o, mustJSON(t, creation))
			if err != nil {
				t.Fatal(err)
			}
			if cred, err := rp.FinishRegistration(u, *session, post(resp)); err == nil {
				t.Fatalf("FinishRegistration succeeded: %+v", cred)
			} else {
				t.Logf("rejected: %v", protocolDetail(err))
			}
		})
	}
}

// TestStaleCounter shows what go-webauthn does with a sign counter that does not increase:
// FinishLogin succeeds but sets Authenticator.CloneWarning and keeps the stored count, so a
// relying party must check CloneWarning itself.
func TestStaleCounter(t *testing.T) {
	rp, a := newRP(t), webauthntest.New()
	u := &user{id: []byte("erin-handle"), name: "erin"}
	register(t, rp, a, u)
	login(t, rp, a, u) // count 1
	a.Faults.FreezeCounter = true
	session, resp := beginLogin(t, rp, a, u)
	cred, err := rp.FinishLogin(u, session, post(resp))
	if err != nil {
		t.Fatalf("FinishLogin: %v", protocolDetail(err))
	}
	if !cred.Authenticator.CloneWarning || cred.Authenticator.SignCount != 1 {
		t.Errorf("CloneWarning %v SignCount %d, want true 1", cred.Authenticator.CloneWarning, cred.Authenticator.SignCount)
	}
}

// TestClientSideRefusals checks the cases a browser refuses before anything reaches the server.
func TestClientSideRefusals(t *testing.T) {
	rp, a := newRP(t), webauthntest.New()
	u := &user{id: []byte("frank-handle"), name: "frank"}
	cred := register(t, rp, a, u)

	// excludeCredentials lists a credential the authenticator holds.
	creation, _, err := rp.BeginRegistration(u, webauthn.WithExclusions([]protocol.CredentialDescriptor{cred.Descriptor()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(origin, mustJSON(t, creation)); !errors.Is(err, webauthntest.ErrInvalidState) {
		t.Errorf("excluded credential: err = %v, want ErrInvalidState", err)
	}

	// Only RS256 is offered.
	creation, _, err = rp.BeginRegistration(u, webauthn.WithCredentialParameters([]protocol.CredentialParameter{
		{Type: protocol.PublicKeyCredentialType, Algorithm: -257}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Create(origin, mustJSON(t, creation)); !errors.Is(err, webauthntest.ErrNotSupported) {
		t.Errorf("RS256 only: err = %v, want ErrNotSupported", err)
	}

	// Another authenticator does not hold the allowed credential.
	assertion, _, err := rp.BeginLogin(u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := webauthntest.New().Get(origin, mustJSON(t, assertion)); !errors.Is(err, webauthntest.ErrNotAllowed) {
		t.Errorf("unheld credential: err = %v, want ErrNotAllowed", err)
	}

	// A page on another site cannot use RP ID localhost.
	if _, err := a.Get("https://evil.example", mustJSON(t, assertion)); !errors.Is(err, webauthntest.ErrSecurity) {
		t.Errorf("cross-site RP ID: err = %v, want ErrSecurity", err)
	}
}
