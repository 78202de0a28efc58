package account

import (
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP settings: RFC 6238 with SHA-1, 6 digits, 30-second steps — what
// every authenticator app understands. One step of clock skew either way
// is accepted.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	totpSkew   = 1
)

// TOTPKey is a new second factor to show the person once: the secret for
// typing in, and the otpauth:// URL an authenticator app scans.
type TOTPKey struct {
	Secret string // base32
	URL    string
}

// NewTOTP makes a TOTP secret for the account.
func NewTOTP(email string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: "Sanctuary", AccountName: email, Period: totpPeriod,
		SecretSize: 20, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, fmt.Errorf("account: make a TOTP secret: %w", err)
	}
	return TOTPKey{Secret: k.Secret(), URL: k.URL()}, nil
}

// ValidTOTPSecret reports whether s is a secret NewTOTP could have made:
// base32 of at least 160 bits. A browser sends the secret back with the
// enrolment form; anything shorter (an empty secret has a fixed, known
// code) would be a second factor in name only.
func ValidTOTPSecret(s string) bool {
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
	return err == nil && len(b) >= 20
}

// TOTPStep is the number of the 30-second step t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// CheckTOTP checks a code against the secret at time now. It returns the
// step the code belongs to, which must be later than the last step
// accepted for the account (lastStep), so that a code is good only once.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	if len(code) != int(totpDigits) {
		return 0, false
	}
	cur := TOTPStep(now)
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0).UTC(), totp.ValidateOpts{
			Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, step > lastStep
		}
	}
	return 0, false
}

// TOTPCode returns the code for the secret at time t, for tests and for
// checking a clock.
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
}
