// Package account is the domain of staff accounts and how people prove who
// they are: email addresses, Argon2id password hashes, TOTP second factors,
// single-use recovery codes, random tokens kept only as hashes, and the
// brute-force policy. It holds no SQL and no HTTP.
package account

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sanctuary-platform/sanctuary"
)

// Status is where an account stands.
type Status string

// The statuses of an account.
const (
	StatusPending  Status = "pending"  // made; its setup link not used yet
	StatusActive   Status = "active"   // password and second factor set
	StatusDisabled Status = "disabled" // may not sign in; its sessions and tokens are dead
)

// User is a staff account.
type User struct {
	ID       int64          `json:"id"`
	Email    string         `json:"email"`
	Name     string         `json:"name"`
	Role     sanctuary.Role `json:"role"`
	Language string         `json:"language"`
	Status   Status         `json:"status"`
	// TOTPEnrolled is set once a second factor by app was confirmed.
	TOTPEnrolled bool      `json:"totp_enrolled"`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    string    `json:"created_by"`
	// Failures counts sign-in failures since the last success;
	// LockedUntil is set while the account is locked after too many.
	Failures    int       `json:"-"`
	LockedUntil time.Time `json:"-"`
}

// Languages an account's pages can be in.
var Languages = []string{"ru", "en", "de"}

// NormalizeEmail returns the form an email address is kept and compared
// in (trimmed, lower case), or "" and what is wrong with it.
func NormalizeEmail(s string) (string, string) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return "", "an email address is required"
	case len(s) > 254:
		return "", "an email address is at most 254 bytes"
	case !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n<>\"(),;:"):
		return "", "must be a plain address such as lena@ngo.example"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") && !strings.HasSuffix(s, "@localhost") {
		return "", "must be a plain address such as lena@ngo.example"
	}
	return s, ""
}

// Validate checks a new account's fields and returns the problems by
// field.
func (u User) Validate() map[string]string {
	errs := map[string]string{}
	if _, msg := NormalizeEmail(u.Email); msg != "" {
		errs["email"] = msg
	}
	if !u.Role.Staff() {
		errs["role"] = "must be one of: admin, lawyer, caseworker, knowledge_editor, auditor"
	}
	if n := strings.TrimSpace(u.Name); len(n) > 200 || strings.ContainsFunc(n, isControl) {
		errs["name"] = "must be at most 200 bytes of printable text"
	}
	if !validLanguage(u.Language) {
		errs["language"] = "must be one of: ru, en, de"
	}
	return errs
}

func validLanguage(l string) bool {
	for _, x := range Languages {
		if l == x {
			return true
		}
	}
	return false
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
