package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"fmt"
)

// credentialIDLength is the length of the random credential IDs Create makes.
const credentialIDLength = 16

// creationOptions is the part of PublicKeyCredentialCreationOptionsJSON that Create reads.
type creationOptions struct {
	RP struct {
		ID string `json:"id"`
	} `json:"rp"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Challenge        string `json:"challenge"`
	PubKeyCredParams []struct {
		Type string `json:"type"`
		Alg  int64  `json:"alg"`
	} `json:"pubKeyCredParams"`
	ExcludeCredentials []descriptor `json:"excludeCredentials"`
}

// registrationResponse is RegistrationResponseJSON, what PublicKeyCredential.toJSON() gives
// for the result of navigator.credentials.create().
type registrationResponse struct {
	ID                      string   `json:"id"`
	RawID                   string   `json:"rawId"`
	Type                    string   `json:"type"`
	AuthenticatorAttachment string   `json:"authenticatorAttachment"`
	ClientExtensionResults  struct{} `json:"clientExtensionResults"`
	Response                struct {
		ClientDataJSON     string   `json:"clientDataJSON"`
		AuthenticatorData  string   `json:"authenticatorData"`
		Transports         []string `json:"transports"`
		PublicKey          string   `json:"publicKey"`
		PublicKeyAlgorithm int      `json:"publicKeyAlgorithm"`
		AttestationObject  string   `json:"attestationObject"`
	} `json:"response"`
}

// Create answers navigator.credentials.create(). creationOptionsJSON is the JSON of the
// protocol.CredentialCreation that go-webauthn's BeginRegistration returns, {"publicKey": {...}};
// origin is the page's origin, e.g. "http://localhost:8080". Create makes a new discoverable ES256
// credential scoped to the RP ID (rp.id, or the origin's host if absent) and returns the
// RegistrationResponseJSON a browser would post back: id, rawId, type "public-key",
// authenticatorAttachment "platform", empty clientExtensionResults, and response with
// clientDataJSON, authenticatorData, transports ["internal"], publicKey (SPKI),
// publicKeyAlgorithm -7 and a "none" attestationObject, binary members base64url-encoded.
//
// The new credential's signature counter starts at 0. A credential for the same user handle is
// not replaced: the authenticator keeps every credential it made. Extensions are ignored.
// user.id must be base64url of 1 to 64 bytes, as browsers require; go-webauthn's
// Config.EncodeUserIDAsString sends a raw string instead, which Create rejects or misreads as a
// browser would.
func (a *Authenticator) Create(origin string, creationOptionsJSON []byte) ([]byte, error) {
	var req struct {
		PublicKey *creationOptions `json:"publicKey"`
	}
	if err := json.Unmarshal(creationOptionsJSON, &req); err != nil {
		return nil, badOptions("%v", err)
	}
	o := req.PublicKey
	if o == nil {
		return nil, badOptions("missing publicKey member")
	}
	rpID, err := resolveRPID(origin, o.RP.ID)
	if err != nil {
		return nil, err
	}
	challenge, err := decodeChallenge(o.Challenge)
	if err != nil {
		return nil, err
	}
	userHandle, err := unb64(o.User.ID)
	if err != nil || len(userHandle) < 1 || len(userHandle) > 64 {
		return nil, badOptions("user.id must be base64url of 1 to 64 bytes")
	}
	if !offersES256(o) {
		return nil, fmt.Errorf("%w: pubKeyCredParams do not include public-key alg -7", ErrNotSupported)
	}
	excluded, err := credentialIDs("excludeCredentials", o.ExcludeCredentials)
	if err != nil {
		return nil, err
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	id := make([]byte, credentialIDLength)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	attested, err := attestedCredentialData(id, &key.PublicKey)
	if err != nil {
		return nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	clientData, err := clientDataJSON("webauthn.create", challenge, origin)
	if err != nil {
		return nil, err
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	for _, x := range excluded {
		if c := a.find(x); c != nil && c.rpID == rpID {
			return nil, fmt.Errorf("%w: credential %s", ErrInvalidState, b64(x))
		}
	}
	flags := byte(flagUP | flagUV | flagAT)
	if a.Faults.NoUserVerification {
		flags &^= flagUV
	}
	authData := authenticatorData(rpID, flags, 0, attested)
	a.creds = append(a.creds, &credential{id: id, rpID: rpID, userHandle: userHandle, key: key})

	var resp registrationResponse
	resp.ID, resp.RawID, resp.Type = b64(id), b64(id), "public-key"
	resp.AuthenticatorAttachment = "platform"
	resp.Response.ClientDataJSON = b64(clientData)
	resp.Response.AuthenticatorData = b64(authData)
	resp.Response.Transports = []string{"internal"}
	resp.Response.PublicKey = b64(spki)
	resp.Response.PublicKeyAlgorithm = coseAlgES256
	resp.Response.AttestationObject = b64(attestationObjectNone(authData))
	return json.Marshal(resp)
}

// offersES256 reports whether the options accept an ES256 credential. An empty
// pubKeyCredParams means the defaults, ES256 and RS256 (WebAuthn §5.4).
func offersES256(o *creationOptions) bool {
	if len(o.PubKeyCredParams) == 0 {
		return true
	}
	for _, p := range o.PubKeyCredParams {
		if p.Type == "public-key" && p.Alg == coseAlgES256 {
			return true
		}
	}
	return false
}
