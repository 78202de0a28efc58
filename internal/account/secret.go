package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// Prefixes of the tokens Sanctuary hands out, so that one found in a log
// or a paste can be recognised (and secret scanners can be taught them).
const (
	PrefixAPIToken   = "snt_"
	PrefixSession    = "sns_"
	PrefixSetup      = "snu_"
	PrefixInvitation = "sni_"
	PrefixPasskey    = "snk_" // a link to register a passkey
	PrefixPlayback   = "snp_" // one preview of an evidence item in one session
)

var token32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewToken returns a new random token (256 bits) with the prefix, and the
// hash under which it is kept: the token itself is shown once and never
// stored.
func NewToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics if the system cannot supply randomness)
	token = prefix + strings.ToLower(token32.EncodeToString(b))
	return token, HashToken(token)
}

// HashToken is the hash a token is kept and looked up under.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// ValidToken reports whether s has the form of a token with the prefix,
// before any lookup.
func ValidToken(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 52 {
		return false
	}
	_, err := token32.DecodeString(strings.ToUpper(rest))
	return err == nil
}
