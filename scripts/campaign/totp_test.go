package main

import (
	"encoding/base32"
	"testing"
	"time"
)

// TestTOTPCode checks the RFC 6238 test vectors (appendix B, SHA-1,
// the last six of the eight digits).
func TestTOTPCode(t *testing.T) {
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 20000000000: "353130"} {
		got, err := totpCode(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("at %d: %q %v, want %q", unix, got, err, want)
		}
	}
}
