package webauthntest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"testing"
)

const (
	origin    = "http://localhost:8080"
	challenge = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" // bytes 0..31
	userID    = "dXNlci0x"                                    // "user-1"
)

// creationOptionsJSON is what go-webauthn's BeginRegistration marshals to, trimmed.
var creationOptionsJSON = []byte(`{"publicKey":{"rp":{"name":"Sanctuary","id":"localhost"},
	"user":{"name":"u","displayName":"U","id":"` + userID + `"},"challenge":"` + challenge + `",
	"pubKeyCredParams":[{"type":"public-key","alg":-7},{"type":"public-key","alg":-257}],"timeout":300000}}`)

var requestOptionsJSON = []byte(`{"publicKey":{"challenge":"` + challenge + `","timeout":300000,"rpId":"localhost"}}`)

// registration is the decoded part of a Create response that the tests inspect.
type registration struct {
	ID, RawID, Type string
	Response        struct {
		ClientDataJSON, AuthenticatorData, PublicKey, AttestationObject string
		PublicKeyAlgorithm                                              int
		Transports                                                      []string
	}
}

type assertion struct {
	ID, RawID string
	Response  struct{ ClientDataJSON, AuthenticatorData, Signature, UserHandle string }
}

func mustUnb64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unb64(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

func create(t *testing.T, a *Authenticator) (registration, *ecdsa.PublicKey) {
	t.Helper()
	out, err := a.Create(origin, creationOptionsJSON)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	var r registration
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	pub, err := x509.ParsePKIXPublicKey(mustUnb64(t, r.Response.PublicKey))
	if err != nil {
		t.Fatalf("publicKey: %v", err)
	}
	return r, pub.(*ecdsa.PublicKey)
}

func get(t *testing.T, a *Authenticator) (assertion, []byte) {
	t.Helper()
	out, err := a.Get(origin, requestOptionsJSON)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	var r assertion
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	return r, mustUnb64(t, r.Response.AuthenticatorData)
}

func TestCreateLayout(t *testing.T) {
	r, pub := create(t, New())
	if r.ID != r.RawID || r.Type != "public-key" || r.Response.PublicKeyAlgorithm != -7 ||
		!slices.Equal(r.Response.Transports, []string{"internal"}) {
		t.Errorf("response = %+v", r)
	}
	wantCD := `{"type":"webauthn.create","challenge":"` + challenge + `","origin":"` + origin + `","crossOrigin":false}`
	if got := string(mustUnb64(t, r.Response.ClientDataJSON)); got != wantCD {
		t.Errorf("clientDataJSON = %s, want %s", got, wantCD)
	}

	authData := mustUnb64(t, r.Response.AuthenticatorData)
	att := mustUnb64(t, r.Response.AttestationObject)
	prefix := slices.Concat([]byte{0xa3, 0x63}, []byte("fmt"), []byte{0x64}, []byte("none"),
		[]byte{0x67}, []byte("attStmt"), []byte{0xa0, 0x68}, []byte("authData"), cborHead(2, uint64(len(authData))))
	if !bytes.Equal(att, slices.Concat(prefix, authData)) {
		t.Errorf("attestationObject = %x, want %x ‖ authData", att, prefix)
	}

	rpIDHash := sha256.Sum256([]byte("localhost"))
	id := mustUnb64(t, r.RawID)
	raw, _ := pub.Bytes()
	want := slices.Concat(rpIDHash[:], []byte{0x45, 0, 0, 0, 0}, make([]byte, 16), []byte{0, byte(len(id))}, id,
		[]byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20}, raw[1:33], []byte{0x22, 0x58, 0x20}, raw[33:])
	if !bytes.Equal(authData, want) {
		t.Errorf("authData = %x\nwant       %x", authData, want)
	}
}

func TestGetLayoutAndSignature(t *testing.T) {
	a := New()
	reg, pub := create(t, a)
	for count := uint32(1); count <= 3; count++ {
		r, authData := get(t, a)
		if r.RawID != reg.RawID || r.ID != reg.ID || r.Response.UserHandle != userID {
			t.Errorf("ids = %s/%s userHandle %s", r.ID, r.RawID, r.Response.UserHandle)
		}
		rpIDHash := sha256.Sum256([]byte("localhost"))
		want := binary.BigEndian.AppendUint32(append(rpIDHash[:], 0x05), count)
		if !bytes.Equal(authData, want) {
			t.Errorf("authData = %x, want %x", authData, want)
		}
		cd := mustUnb64(t, r.Response.ClientDataJSON)
		wantCD := `{"type":"webauthn.get","challenge":"` + challenge + `","origin":"` + origin + `","crossOrigin":false}`
		if string(cd) != wantCD {
			t.Errorf("clientDataJSON = %s", cd)
		}
		if !verify(pub, authData, cd, mustUnb64(t, r.Response.Signature)) {
			t.Errorf("signature does not verify")
		}
		if got := a.Credentials()[0].SignCount; got != count {
			t.Errorf("SignCount = %d, want %d", got, count)
		}
	}
}

func verify(pub *ecdsa.PublicKey, authData, clientData, sig []byte) bool {
	cdHash := sha256.Sum256(clientData)
	digest := sha256.Sum256(slices.Concat(authData, cdHash[:]))
	return ecdsa.VerifyASN1(pub, digest[:], sig)
}

func TestFaults(t *testing.T) {
	a := New()
	_, pub := create(t, a)
	get(t, a) // count 1

	a.Faults = Faults{FlipSignatureBit: true}
	r, authData := get(t, a)
	sig := mustUnb64(t, r.Response.Signature)
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) != 0 {
		t.Errorf("flipped signature is not DER: %v", err)
	}
	if verify(pub, authData, mustUnb64(t, r.Response.ClientDataJSON), sig) {
		t.Error("FlipSignatureBit: signature verifies")
	}

	a.Faults = Faults{WrongKey: true}
	r, authData = get(t, a)
	if verify(pub, authData, mustUnb64(t, r.Response.ClientDataJSON), mustUnb64(t, r.Response.Signature)) {
		t.Error("WrongKey: signature verifies")
	}

	a.Faults = Faults{NoUserVerification: true, FreezeCounter: true}
	before := a.Credentials()[0].SignCount
	_, authData = get(t, a)
	if authData[32] != flagUP || binary.BigEndian.Uint32(authData[33:]) != before {
		t.Errorf("flags %#x count %d, want %#x %d", authData[32], binary.BigEndian.Uint32(authData[33:]), flagUP, before)
	}

	a.Faults = Faults{ForceCredentialID: []byte("nope")}
	if _, err := a.Get(origin, requestOptionsJSON); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("ForceCredentialID unknown: err = %v", err)
	}
}

func TestResolveRPID(t *testing.T) {
	tests := []struct {
		origin, rpID, want string
		ok                 bool
	}{
		{"http://localhost:8080", "localhost", "localhost", true},
		{"http://localhost:8080", "", "localhost", true},
		{"https://app.example.com", "example.com", "example.com", true},
		{"https://example.com:8443", "example.com", "example.com", true},
		{"http://a.localhost:1", "localhost", "localhost", true},
		{"https://example.com", "other.com", "", false},
		{"https://badexample.com", "example.com", "", false},
		{"https://example.com", "app.example.com", "", false},
		{"http://example.com", "example.com", "", false},  // not a secure context
		{"http://127.0.0.1:8080", "127.0.0.1", "", false}, // IP RP ID
		{"http://127.0.0.1:8080", "", "", false},
		{"http://[::1]:8080", "", "", false},
		{"ftp://localhost", "localhost", "", false},
		{"localhost:8080", "localhost", "", false},
		{"http://localhost:8080/path", "localhost", "", false},
		{"", "localhost", "", false},
		{"http://%zz", "", "", false},
	}
	for _, tt := range tests {
		got, err := resolveRPID(tt.origin, tt.rpID)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("resolveRPID(%q, %q) = %q, %v", tt.origin, tt.rpID, got, err)
		}
		if err != nil && !errors.Is(err, ErrSecurity) {
			t.Errorf("resolveRPID(%q, %q) error %v does not wrap ErrSecurity", tt.origin, tt.rpID, err)
		}
	}
}

func TestCBORHead(t *testing.T) {
	for _, tt := range []struct {
		n    uint64
		want []byte
	}{
		{0, []byte{0x40}}, {23, []byte{0x57}}, {24, []byte{0x58, 24}}, {255, []byte{0x58, 0xff}},
		{256, []byte{0x59, 1, 0}}, {65536, []byte{0x5a, 0, 1, 0, 0}},
		{1 << 32, []byte{0x5b, 0, 0, 0, 1, 0, 0, 0, 0}},
	} {
		if got := cborHead(2, tt.n); !bytes.Equal(got, tt.want) {
			t.Errorf("cborHead(2, %d) = %x, want %x", tt.n, got, tt.want)
		}
	}
}
