package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
)

// requestOptions is the part of PublicKeyCredentialRequestOptionsJSON that Get reads.
type requestOptions struct {
	Challenge        string       `json:"challenge"`
	RPID             string       `json:"rpId"`
	AllowCredentials []descriptor `json:"allowCredentials"`
}

// authenticationResponse is AuthenticationResponseJSON, what PublicKeyCredential.toJSON() gives
// for the result of navigator.credentials.get().
type authenticationResponse struct {
	ID                      string   `json:"id"`
	RawID                   string   `json:"rawId"`
	Type                    string   `json:"type"`
	AuthenticatorAttachment string   `json:"authenticatorAttachment"`
	ClientExtensionResults  struct{} `json:"clientExtensionResults"`
	Response                struct {
		ClientDataJSON    string `json:"clientDataJSON"`
		AuthenticatorData string `json:"authenticatorData"`
		Signature         string `json:"signature"`
		UserHandle        string `json:"userHandle"`
	} `json:"response"`
}

// Get answers navigator.credentials.get(). assertionOptionsJSON is the JSON of the
// protocol.CredentialAssertion that go-webauthn's BeginLogin or BeginDiscoverableLogin returns,
// {"publicKey": {...}}; origin is the page's origin. The RP ID is rpId, or the origin's host if
// absent.
//
// Get picks the first credential listed in allowCredentials that it holds for the RP ID, or,
// when the list is empty (discoverable login), the newest credential it holds for the RP ID;
// [Faults.ForceCredentialID] overrides the choice. It increments that credential's signature
// counter and returns the AuthenticationResponseJSON a browser would post back: id, rawId, type
// "public-key", authenticatorAttachment "platform", empty clientExtensionResults, and response
// with clientDataJSON, authenticatorData (flags UP and UV), an ASN.1 DER ECDSA signature over
// authenticatorData ‖ SHA-256(clientDataJSON), and userHandle.
func (a *Authenticator) Get(origin string, assertionOptionsJSON []byte) ([]byte, error) {
	var req struct {
		PublicKey *requestOptions `json:"publicKey"`
	}
	if err := json.Unmarshal(assertionOptionsJSON, &req); err != nil {
		return nil, badOptions("%v", err)
	}
	o := req.PublicKey
	if o == nil {
		return nil, badOptions("missing publicKey member")
	}
	rpID, err := resolveRPID(origin, o.RPID)
	if err != nil {
		return nil, err
	}
	challenge, err := decodeChallenge(o.Challenge)
	if err != nil {
		return nil, err
	}
	allowed, err := credentialIDs("allowCredentials", o.AllowCredentials)
	if err != nil {
		return nil, err
	}
	clientData, err := clientDataJSON("webauthn.get", challenge, origin)
	if err != nil {
		return nil, err
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	c, err := a.pick(rpID, allowed, len(o.AllowCredentials) > 0)
	if err != nil {
		return nil, err
	}
	f := a.Faults
	if !f.FreezeCounter {
		c.signCount++
	}
	flags := byte(flagUP | flagUV)
	if f.NoUserVerification {
		flags &^= flagUV
	}
	authData := authenticatorData(rpID, flags, c.signCount, nil)
	clientDataHash := sha256.Sum256(clientData)
	digest := sha256.Sum256(slices.Concat(authData, clientDataHash[:]))
	key := c.key
	if f.WrongKey {
		if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			return nil, err
		}
	}
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		return nil, err
	}
	if f.FlipSignatureBit {
		sig[len(sig)-1] ^= 1
	}

	var resp authenticationResponse
	resp.ID, resp.RawID, resp.Type = b64(c.id), b64(c.id), "public-key"
	resp.AuthenticatorAttachment = "platform"
	resp.Response.ClientDataJSON = b64(clientData)
	resp.Response.AuthenticatorData = b64(authData)
	resp.Response.Signature = b64(sig)
	resp.Response.UserHandle = b64(c.userHandle)
	return json.Marshal(resp)
}

// pick chooses the credential that answers a request for rpID; see [Authenticator.Get].
// hasAllowList is true when allowCredentials was non-empty, even if it named no "public-key"
// credential. The caller holds a.mu.
func (a *Authenticator) pick(rpID string, allowed [][]byte, hasAllowList bool) (*credential, error) {
	if id := a.Faults.ForceCredentialID; id != nil {
		if c := a.find(id); c != nil {
			return c, nil
		}
		return nil, fmt.Errorf("%w: ForceCredentialID %s is not held", ErrNotAllowed, b64(id))
	}
	if hasAllowList {
		for _, id := range allowed {
			if c := a.find(id); c != nil && c.rpID == rpID {
				return c, nil
			}
		}
		return nil, fmt.Errorf("%w: none of allowCredentials is held for RP ID %q", ErrNotAllowed, rpID)
	}
	for i := len(a.creds) - 1; i >= 0; i-- {
		if c := a.creds[i]; c.rpID == rpID {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: no credential held for RP ID %q", ErrNotAllowed, rpID)
}
