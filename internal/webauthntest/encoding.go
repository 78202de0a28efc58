package webauthntest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
)

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01 // user present
	flagUV = 0x04 // user verified
	flagAT = 0x40 // attested credential data included
)

// coseAlgES256 is the COSE algorithm identifier of ECDSA P-256 with SHA-256.
const coseAlgES256 = -7

// descriptor is a PublicKeyCredentialDescriptorJSON (allowCredentials, excludeCredentials).
type descriptor struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// b64 encodes b the way PublicKeyCredential.toJSON() does: base64url without padding.
func b64(b []byte) string {
	return base64.RawURLEncoding.EncodeToString(b)
}

// unb64 decodes base64url, with or without padding.
func unb64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// badOptions wraps a description of malformed options in [ErrBadOptions].
func badOptions(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadOptions, fmt.Sprintf(format, args...))
}

// decodeChallenge decodes the challenge member of the options; it must be non-empty base64url.
func decodeChallenge(s string) ([]byte, error) {
	challenge, err := unb64(s)
	if err != nil {
		return nil, badOptions("challenge: %v", err)
	}
	if len(challenge) == 0 {
		return nil, badOptions("challenge is missing or empty")
	}
	return challenge, nil
}

// credentialIDs decodes the IDs of the "public-key" descriptors in list; others are skipped
// as a browser skips them.
func credentialIDs(member string, list []descriptor) ([][]byte, error) {
	var ids [][]byte
	for i, d := range list {
		if d.Type != "public-key" {
			continue
		}
		id, err := unb64(d.ID)
		if err != nil || len(id) == 0 {
			return nil, badOptions("%s[%d].id is not non-empty base64url", member, i)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// clientDataJSON serialises CollectedClientData with its members in the order of the
// specification's limited verification algorithm (§5.8.1.2): type, challenge, origin, crossOrigin.
func clientDataJSON(typ string, challenge []byte, origin string) ([]byte, error) {
	cd := struct {
		Type        string `json:"type"`
		Challenge   string `json:"challenge"`
		Origin      string `json:"origin"`
		CrossOrigin bool   `json:"crossOrigin"`
	}{typ, b64(challenge), origin, false}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cd); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// authenticatorData builds rpIdHash ‖ flags ‖ signCount ‖ attested (WebAuthn §6.1).
func authenticatorData(rpID string, flags byte, signCount uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, signCount)
	return append(out, attested...)
}

// attestedCredentialData builds AAGUID (16 zero bytes) ‖ credentialIdLength ‖ credentialId ‖
// credentialPublicKey (WebAuthn §6.5.1).
func attestedCredentialData(id []byte, pub *ecdsa.PublicKey) ([]byte, error) {
	key, err := coseKeyES256(pub)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 16, 16+2+len(id)+len(key))
	out = binary.BigEndian.AppendUint16(out, uint16(len(id)))
	out = append(out, id...)
	return append(out, key...), nil
}

// coseKeyES256 encodes pub as a COSE_Key in CTAP2 canonical CBOR:
// {1 (kty): 2 (EC2), 3 (alg): -7 (ES256), -1 (crv): 1 (P-256), -2 (x): bstr, -3 (y): bstr}.
func coseKeyES256(pub *ecdsa.PublicKey) ([]byte, error) {
	raw, err := pub.Bytes() // 0x04 ‖ x ‖ y
	if err != nil {
		return nil, err
	}
	if len(raw) != 65 {
		return nil, fmt.Errorf("webauthntest: unexpected P-256 point length %d", len(raw))
	}
	out := []byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21}
	out = append(out, cborBytes(raw[1:33])...)
	out = append(out, 0x22)
	return append(out, cborBytes(raw[33:65])...), nil
}

// attestationObjectNone encodes {"fmt": "none", "attStmt": {}, "authData": authData} in CTAP2
// canonical CBOR (keys ordered by length).
func attestationObjectNone(authData []byte) []byte {
	out := []byte{0xa3}
	out = append(out, cborText("fmt")...)
	out = append(out, cborText("none")...)
	out = append(out, cborText("attStmt")...)
	out = append(out, 0xa0)
	out = append(out, cborText("authData")...)
	return append(out, cborBytes(authData)...)
}

// cborHead encodes a CBOR data item head of the given major type and argument.
func cborHead(major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return []byte{m | byte(n)}
	case n <= 0xff:
		return []byte{m | 24, byte(n)}
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16([]byte{m | 25}, uint16(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32([]byte{m | 26}, uint32(n))
	default:
		return binary.BigEndian.AppendUint64([]byte{m | 27}, n)
	}
}

// cborBytes encodes b as a CBOR byte string.
func cborBytes(b []byte) []byte {
	return append(cborHead(2, uint64(len(b))), b...)
}

// cborText encodes s as a CBOR text string.
func cborText(s string) []byte {
	return append(cborHead(3, uint64(len(s))), s...)
}
