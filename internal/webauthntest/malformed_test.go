package webauthntest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestMalformedOptions(t *testing.T) {
	bad := []string{
		``, `null`, `[]`, `"x"`, `{}`, `{"publicKey":null}`, `{"publicKey":[]}`, `{"publicKey":{}}`,
		`{"publicKey":{"challenge":123}}`, `{"publicKey":{"challenge":""}}`, `{"publicKey":{"challenge":"!!"}}`,
		`{"publicKey":{"challenge":"AAAA"}} trailing`,
	}
	a := New()
	for _, in := range bad {
		if _, err := a.Create(origin, []byte(in)); !errors.Is(err, ErrBadOptions) {
			t.Errorf("Create(%s) err = %v, want ErrBadOptions", in, err)
		}
		if _, err := a.Get(origin, []byte(in)); !errors.Is(err, ErrBadOptions) {
			t.Errorf("Get(%s) err = %v, want ErrBadOptions", in, err)
		}
	}
	if _, err := a.Create(origin, nil); err == nil {
		t.Error("Create(nil) succeeded")
	}

	createBad := map[string]string{
		"user id missing":    `"user":{}`,
		"user id not b64":    `"user":{"id":"a*b"}`,
		"user id too long":   `"user":{"id":"` + strings.Repeat("A", 88) + `"}`,
		"exclude id not b64": `"user":{"id":"AA"},"excludeCredentials":[{"type":"public-key","id":"%%"}]`,
		"exclude id empty":   `"user":{"id":"AA"},"excludeCredentials":[{"type":"public-key","id":""}]`,
		"alg not a number":   `"user":{"id":"AA"},"pubKeyCredParams":[{"type":"public-key","alg":"-7"}]`,
	}
	for name, members := range createBad {
		in := `{"publicKey":{"challenge":"` + challenge + `",` + members + `}}`
		if _, err := a.Create(origin, []byte(in)); !errors.Is(err, ErrBadOptions) {
			t.Errorf("Create %s: err = %v, want ErrBadOptions", name, err)
		}
	}
	in := `{"publicKey":{"challenge":"` + challenge + `","user":{"id":"AA"},"pubKeyCredParams":[{"type":"public-key","alg":-257}]}}`
	if _, err := a.Create(origin, []byte(in)); !errors.Is(err, ErrNotSupported) {
		t.Errorf("Create RS256 only: err = %v, want ErrNotSupported", err)
	}
	in = `{"publicKey":{"challenge":"` + challenge + `","allowCredentials":[{"type":"public-key","id":"*"}]}}`
	if _, err := a.Get(origin, []byte(in)); !errors.Is(err, ErrBadOptions) {
		t.Errorf("Get bad allow id: err = %v, want ErrBadOptions", err)
	}
	if len(a.Credentials()) != 0 {
		t.Errorf("failed calls created credentials: %d", len(a.Credentials()))
	}
}

func TestOptionDefaults(t *testing.T) {
	a := New()
	// No rp.id and no pubKeyCredParams: the RP ID is the origin's host and ES256 is a default.
	in := `{"publicKey":{"challenge":"` + challenge + `","user":{"id":"AA"}}}`
	if _, err := a.Create(origin, []byte(in)); err != nil {
		t.Fatalf("Create: %v", err)
	}
	if got := a.Credentials()[0].RPID; got != "localhost" {
		t.Errorf("RPID = %q", got)
	}
	// An allow list with only unknown credential types answers nothing, as in a browser.
	in = `{"publicKey":{"challenge":"` + challenge + `","allowCredentials":[{"type":"other","id":"AA"}]}}`
	if _, err := a.Get(origin, []byte(in)); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Get unknown-type allow list: err = %v, want ErrNotAllowed", err)
	}
	// Another RP ID sees no credential.
	if _, err := a.Get("https://example.com", []byte(`{"publicKey":{"challenge":"`+challenge+`"}}`)); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Get other RP: err = %v, want ErrNotAllowed", err)
	}
}

// FuzzOptions checks that no options JSON makes Create or Get panic, and that whatever they
// return on success is JSON. Without -fuzz it runs the seeds only.
func FuzzOptions(f *testing.F) {
	f.Add(creationOptionsJSON)
	f.Add(requestOptionsJSON)
	f.Add([]byte(`{"publicKey":{"challenge":"AA","user":{"id":"AA"},"excludeCredentials":[{"type":"public-key","id":"AA"}]}}`))
	f.Add([]byte(`{"publicKey":{"challenge":"AA","allowCredentials":[{"type":"public-key","id":"AA"}]}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		a := New()
		for _, call := range []func(string, []byte) ([]byte, error){a.Create, a.Get} {
			out, err := call(origin, in)
			if err == nil && !json.Valid(out) {
				t.Errorf("invalid JSON response %q", out)
			}
		}
	})
}
