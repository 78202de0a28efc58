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
// bits, shown as XXXXX-XXXXX) and the hashes they are kept under.
func NewRecoveryCodes() (codes, hashes []string) {
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
		hashes = append(hashes, HashRecoveryCode(sb.String()))
	}
	return codes, hashes
}

// HashRecoveryCode is the hash a recovery code is kept under: of its
// normalised form, so that case, spaces and dashes do not matter.
func HashRecoveryCode(code string) string {
	return HashToken("recovery:" + NormalizeRecoveryCode(code))
}

// NormalizeRecoveryCode removes spaces and dashes and upper-cases.
func NormalizeRecoveryCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
}
