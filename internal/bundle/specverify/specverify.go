// Package specverify is a second verifier of evidence bundles, written
// from docs/evidence.md alone ("Bundles for a court" and "The format, byte
// for byte"), without reading the code that writes bundles, custody events
// or the log, nor Sanctuary's own verifier.
//
// It exists to show that a third party — a court's expert, another NGO —
// can implement the specification and reach the same verdicts as
// Sanctuary's verifier: a bundle is consistent when every rule of the
// specification holds, and verified when it is consistent and its log key
// is the one the organisation published. Where the specification is
// ambiguous this package takes the strictest reasonable reading; each such
// reading is marked "Reading:" in the comment of its rule.
//
// It was written by someone who read only the specification (and revised
// by another after the specification answered the first one's questions);
// the fingerprint's definition (the file log.vkey, with its LF) was
// changed to follow the specification afterwards.
//
// It uses only the standard library and golang.org/x/mod/sumdb/note (to
// verify the checkpoint's signature) and golang.org/x/mod/sumdb/tlog (for
// the RFC 6962 leaf hash and inclusion check).
//
// Besides the rules of the specification, it bounds what it reads (events
// 4096 bytes as specified; item.json 1 MiB; MANIFEST 128 MiB; checkpoint
// 1 MiB; at most 1<<20 names): documents and VERIFY.txt are hashed as
// streams, never held in memory.
//
// Its tests start from a genuine bundle committed in testdata (made by
// scripts/sample-bundle.sh); SPECVERIFY_BUNDLE and SPECVERIFY_VKEY name
// another one.
package specverify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Result is the verdict on a bundle.
type Result struct {
	Consistent bool     // every rule of the spec holds
	Verified   bool     // Consistent, and log.vkey is the expected key (or has the expected fingerprint)
	KeySHA256  string   // fingerprint of log.vkey per the spec, hex; "" if log.vkey unreadable
	Problems   []string // why not, one line each (print-safe: escape non-printable-ASCII)
}

// Limits on what is read into memory. The specification bounds only events.
const (
	maxEventSize    = 4096
	maxItemJSON     = 1 << 20
	maxManifest     = 128 << 20
	maxVKey         = 4096
	maxCheckpoint   = 1 << 20
	maxProofHeader  = 64 << 10 // the lines before the checkpoint
	maxEntries      = 1 << 20
	maxProblems     = 200
	maxActor        = 200
	maxDetail       = 500
	hashHexLen      = 64
	proofHeaderLine = "c2sp.org/tlog-proof@v1"
)

// Verify checks the bundle at path: a directory or a zip file. expectVKey is the
// organisation's key line ("" if unknown); expectKeySHA256 its fingerprint ("" if unknown).
func Verify(path, expectVKey, expectKeySHA256 string) Result {
	c := &checker{}
	var res Result
	b := openBundle(path, c)
	v := &verifier{c: c, b: b}
	if b != nil {
		defer b.close()
		v.run()
	}
	res.KeySHA256 = v.keySHA

	res.Consistent = c.count == 0
	expectVKey = strings.TrimSpace(expectVKey)
	expectKeySHA256 = strings.ToLower(strings.TrimSpace(expectKeySHA256))
	keyOK := true
	if expectVKey != "" && (!v.vkeyRead || v.vkeyLine != expectVKey) {
		keyOK = false
		c.addf("log.vkey is not the expected key %s (it is %s)", expectVKey, v.vkeyLine)
	}
	if expectKeySHA256 != "" && (res.KeySHA256 == "" || res.KeySHA256 != expectKeySHA256) {
		keyOK = false
		c.addf("log.vkey's fingerprint %s is not the expected %s", res.KeySHA256, expectKeySHA256)
	}
	if res.Consistent && expectVKey == "" && expectKeySHA256 == "" {
		keyOK = false
		c.addf("no expected log key given: CONSISTENT ONLY, NOT VERIFIED (log.vkey's fingerprint is %s)", res.KeySHA256)
	}
	res.Verified = res.Consistent && keyOK
	res.Problems = c.lines()
	return res
}

// checker collects problems.
type checker struct {
	problems []string
	count    int
}

func (c *checker) addf(format string, args ...any) {
	c.count++
	if len(c.problems) < maxProblems {
		c.problems = append(c.problems, escape(fmt.Sprintf(format, args...)))
	}
}

func (c *checker) lines() []string {
	out := append([]string(nil), c.problems...)
	if c.count > len(c.problems) {
		out = append(out, fmt.Sprintf("... and %d more problems", c.count-len(c.problems)))
	}
	return out
}

// escape makes s print-safe: printable ASCII stays, a backslash doubles,
// every other byte is written \xNN.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\':
			b.WriteString(`\\`)
		case ch >= 0x20 && ch < 0x7f:
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, `\x%02x`, ch)
		}
	}
	return b.String()
}

func isHex64(s string) bool {
	if len(s) != hashHexLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f') {
			return false
		}
	}
	return true
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// isDecimal reports whether s is a decimal number without leading zeros.
func isDecimal(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
