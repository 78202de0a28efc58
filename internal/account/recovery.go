package account

import (
	"crypto/rand"
	"strings"
)

// RecoveryCodes is how many single-use recovery codes an account gets.
const RecoveryCodes = 10

// recoveryAlphabet has no 0/O or 1/I, to be read off paper.
const recoveryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewRecoveryCodes makes a set of recovery codes (10 characters each, 50
// bits, shown as XXXXX-XXXXX). The store keeps them under a keyed hash of
// their normalised form.
func NewRecoveryCodes() (codes []string) {
	for range RecoveryCodes {
		b := make([]byte, 10)
		rand.Read(b)
		var sb strings.Builder
		for i, x := range b {
			if i == 5 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		codes = append(codes, sb.String())
	}
	return codes
}

// NormalizeRecoveryCode removes spaces and dashes and upper-cases.
func NormalizeRecoveryCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
}
