package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (m=19 MiB, t=2, p=1).
// The research note measured 18 ms per hash on the project's machine.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password rules.
const (
	MinPasswordLen = 12  // characters
	MaxPasswordLen = 256 // bytes
)

// CheckPassword says what is wrong with a new password, or "".
func CheckPassword(pw, email string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters; a few unrelated words make a good one", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d bytes", MaxPasswordLen)
	case !utf8.ValidString(pw):
		return "must be valid text"
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(email)):
		return "must not be your email address"
	case strings.Count(pw, string([]rune(pw)[0])) == n:
		return "must not repeat one character"
	}
	return ""
}

// HashPassword returns the Argon2id hash of pw in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$salt$hash.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(h)), nil
}

var b64 = base64.RawStdEncoding

// phc is a parsed Argon2id hash.
type phc struct {
	memory     uint32
	time       uint32
	threads    uint8
	salt, hash []byte
}

// ErrBadHash is returned for a stored hash that is not one this package
// makes.
var ErrBadHash = errors.New("account: not an Argon2id hash in PHC format")

// parsePHC reads a PHC string, refusing parameters far outside what
// HashPassword uses (a forged row must not make a sign-in use gigabytes).
func parsePHC(s string) (phc, error) {
	var p phc
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v=19" {
		return p, ErrBadHash
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, ErrBadHash
	}
	m, err1 := param(params[0], "m=", 8, 1<<20)
	t, err2 := param(params[1], "t=", 1, 16)
	th, err3 := param(params[2], "p=", 1, 16)
	if err := errors.Join(err1, err2, err3); err != nil {
		return p, ErrBadHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	hash, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(salt) > 64 || len(hash) < 16 || len(hash) > 64 {
		return p, ErrBadHash
	}
	return phc{memory: uint32(m), time: uint32(t), threads: uint8(th), salt: salt, hash: hash}, nil
}

func param(s, prefix string, lo, hi uint64) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, ErrBadHash
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n < lo || n > hi {
		return 0, ErrBadHash
	}
	return n, nil
}

// VerifyPassword reports whether pw matches the stored hash, in constant
// time, and whether the hash should be made again with today's parameters.
func VerifyPassword(pw, stored string) (ok, rehash bool, err error) {
	p, err := parsePHC(stored)
	if err != nil {
		return false, false, err
	}
	h := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.hash)))
	ok = subtle.ConstantTimeCompare(h, p.hash) == 1
	rehash = p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads || len(p.hash) != argonKeyLen
	return ok, rehash, nil
}

// dummyHash is verified against when an account does not exist, so that a
// sign-in for an unknown address takes as long as for a known one.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("sanctuary-dummy-password") // fails only without randomness
	return h
})

// SpendPasswordTime does the work of one password check and returns false.
func SpendPasswordTime(pw string) bool {
	VerifyPassword(pw, dummyHash())
	return false
}
