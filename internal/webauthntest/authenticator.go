// Package webauthntest is a software passkey (a WebAuthn authenticator) for tests: it answers
// the JSON a relying party sends to navigator.credentials.create / .get with the JSON a browser would post back.
//
// An [Authenticator] plays both the browser (client) and the authenticator of the WebAuthn
// specification (Level 2/3): it checks the origin and RP ID the way a browser does, builds
// clientDataJSON, makes ES256 (ECDSA P-256) credentials with "none" attestation, signs
// assertions, and keeps a per-credential signature counter. The responses are encoded the way
// PublicKeyCredential.toJSON() encodes them: binary members as unpadded base64url.
//
// The zero [Faults] answers honestly; its fields make the next responses wrong in one specific
// way each, for negative tests of a relying party.
//
// It uses only the standard library, so that it can be imported from any test.
package webauthntest

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"slices"
	"sync"
)

// Errors returned by [Authenticator.Create] and [Authenticator.Get]. Except for [ErrBadOptions]
// they are named after the DOMException a browser would raise in the same situation. Returned
// errors wrap one of them, so test with [errors.Is].
var (
	// ErrBadOptions reports options JSON that is malformed or lacks a required member
	// (a browser's TypeError or EncodingError).
	ErrBadOptions = errors.New("webauthntest: malformed options")
	// ErrSecurity reports an origin that is not a secure context, or an RP ID that is not a
	// registrable domain suffix of the origin's host (a browser's SecurityError).
	ErrSecurity = errors.New("webauthntest: origin and RP ID rejected")
	// ErrNotSupported reports creation options whose pubKeyCredParams do not offer ES256 (-7).
	ErrNotSupported = errors.New("webauthntest: no supported public key algorithm")
	// ErrInvalidState reports creation options whose excludeCredentials list a credential this
	// authenticator already holds for the RP.
	ErrInvalidState = errors.New("webauthntest: authenticator already holds an excluded credential")
	// ErrNotAllowed reports that no held credential may answer the request options.
	ErrNotAllowed = errors.New("webauthntest: no allowed credential")
)

// Faults make an [Authenticator] send wrong responses, for negative tests. The zero value is
// honest. Each field applies to every later call until it is cleared. Set them between calls:
// they must not be changed while another goroutine is inside Create or Get.
type Faults struct {
	// WrongKey makes Get sign with a freshly generated key that the relying party never saw.
	WrongKey bool
	// FlipSignatureBit makes Get flip the lowest bit of the last byte of the DER signature.
	// That byte belongs to the integer s, so the encoding stays valid DER and only the
	// signature check fails.
	FlipSignatureBit bool
	// NoUserVerification clears the UV flag in the authenticator data (Create and Get), as an
	// authenticator that only tested user presence would.
	NoUserVerification bool
	// FreezeCounter makes Get reuse the credential's previous signature counter instead of
	// incrementing it, as a cloned authenticator would. A credential is created with count 0
	// and a relying party treats two zero counts as "counter not supported", so freeze only
	// after at least one honest Get.
	FreezeCounter bool
	// ForceCredentialID, when non-nil, makes Get answer with this held credential even if
	// allowCredentials does not list it or it belongs to another RP ID. In a discoverable
	// login it stands for the account the user picked. Get fails with [ErrNotAllowed] if
	// the authenticator does not hold it.
	ForceCredentialID []byte
}

// Authenticator is a software WebAuthn authenticator together with the browser in front of it.
// It holds ES256 credentials, each with its RP ID, user handle and signature counter, and is
// safe for concurrent use by multiple goroutines (see [Faults] for the one exception).
type Authenticator struct {
	// Faults make later responses wrong on purpose; see [Faults].
	Faults Faults

	mu    sync.Mutex
	creds []*credential // in creation order
}

// Credential describes a credential held by an [Authenticator]. It is a copy: changing it
// changes nothing in the authenticator.
type Credential struct {
	// ID is the credential ID (the rawId of the responses).
	ID []byte
	// RPID is the relying party ID the credential is scoped to.
	RPID string
	// UserHandle is the user.id of the creation options, returned as userHandle by Get.
	UserHandle []byte
	// SignCount is the last signature counter value the authenticator sent.
	SignCount uint32
}

// credential is the authenticator's private record of a credential.
type credential struct {
	id         []byte
	rpID       string
	userHandle []byte
	key        *ecdsa.PrivateKey
	signCount  uint32
}

// New returns an Authenticator that holds no credentials and has no faults set.
func New() *Authenticator {
	return &Authenticator{}
}

// Credentials returns copies of the credentials the authenticator holds, oldest first.
func (a *Authenticator) Credentials() []Credential {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Credential, 0, len(a.creds))
	for _, c := range a.creds {
		out = append(out, Credential{
			ID:         slices.Clone(c.id),
			RPID:       c.rpID,
			UserHandle: slices.Clone(c.userHandle),
			SignCount:  c.signCount,
		})
	}
	return out
}

// find returns the held credential with the given ID, or nil. The caller holds a.mu.
func (a *Authenticator) find(id []byte) *credential {
	for _, c := range a.creds {
		if bytes.Equal(c.id, id) {
			return c
		}
	}
	return nil
}
