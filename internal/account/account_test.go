package account

import (
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		" Lena@NGO.example ":  "lena@ngo.example",
		"a.b+c@x.org":         "a.b+c@x.org",
		"ops@localhost":       "ops@localhost",
		"":                    "",
		"lena":                "",
		"lena@ngo":            "",
		"Lena <lena@ngo.org>": "",
		"lena@ngo.org, x@y.z": "",
		"le na@ngo.org":       "",
		"lena@@ngo.org":       "",
	} {
		got, msg := NormalizeEmail(in)
		if got != want || (want == "") != (msg != "") {
			t.Errorf("NormalizeEmail(%q) = %q, %q; want %q", in, got, msg, want)
		}
	}
}

func TestUser_Validate(t *testing.T) {
	u := User{Email: "lena@ngo.example", Role: sanctuary.RoleCaseworker, Language: "de", Name: "Lena W."}
	if errs := u.Validate(); len(errs) != 0 {
		t.Errorf("a good user: %v", errs)
	}
	bad := User{Email: "x", Role: sanctuary.RoleClient, Language: "fr", Name: "a\x00b"}
	errs := bad.Validate()
	for _, f := range []string{"email", "role", "language", "name"} {
		if errs[f] == "" {
			t.Errorf("no problem reported for %s: %v", f, errs)
		}
	}
}

func TestPassword_HashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if ok, rehash, err := VerifyPassword("correct horse battery staple", h); !ok || rehash || err != nil {
		t.Errorf("right password: %v %v %v", ok, rehash, err)
	}
	if ok, _, err := VerifyPassword("correct horse battery stapl", h); ok || err != nil {
		t.Errorf("wrong password: %v %v", ok, err)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	weak := "$argon2id$v=19$m=4096,t=1,p=1$" + b64.EncodeToString([]byte("saltsaltsalt")) + "$" +
		b64.EncodeToString(make([]byte, 32))
	if _, rehash, err := VerifyPassword("x", weak); err != nil || !rehash {
		t.Errorf("old parameters should ask for a rehash: %v %v", rehash, err)
	}
	for _, forged := range []string{
		"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$" + b64.EncodeToString(make([]byte, 32)),
		"$argon2id$v=19$m=19456,t=99,p=1$c2FsdHNhbHRzYWx0$" + b64.EncodeToString(make([]byte, 32)),
	} {
		if _, _, err := VerifyPassword("x", forged); err == nil {
			t.Errorf("forged hash %q accepted", forged)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"correct horse battery staple": true,
		"шесть слов по-русски тоже":    true,
		"short":                   false,
		"aaaaaaaaaaaaaaaa":        false,
		"lena@ngo.example":        false,
		strings.Repeat("ab", 200): false,
	} {
		if got := CheckPassword(pw, "lena@ngo.example") == ""; got != ok {
			t.Errorf("CheckPassword(%q) ok = %v, want %v", pw, got, ok)
		}
	}
}

// FuzzParsePHC: no stored string makes the parser panic or accept
// parameters outside its bounds.
func FuzzParsePHC(f *testing.F) {
	h, _ := HashPassword("seed password 123")
	for _, s := range []string{h, "", "$argon2id$v=19$m=1,t=1,p=1$$", "$$$$$", "$argon2id$v=19$m=19456,t=2,p=1$!!$!!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePHC(s)
		if err == nil && (p.memory > 1<<20 || p.time > 16 || p.threads > 16 || len(p.hash) < 16) {
			t.Fatalf("accepted %q with %+v", s, p)
		}
	})
}

// TestTOTP_RFC6238 checks the codes against the SHA-1 test vectors of RFC
// 6238, appendix B (their last six digits).
func TestTOTP_RFC6238(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	for unix, code := range map[int64]string{59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130"} {
		got, err := TOTPCode(secret, time.Unix(unix, 0))
		if err != nil || got != code {
			t.Errorf("T=%d: %q, %v; want %s", unix, got, err, code)
		}
	}
}

func TestTOTP_CheckOnceWithSkew(t *testing.T) {
	k, err := NewTOTP("lena@ngo.example")
	if err != nil || !strings.HasPrefix(k.URL, "otpauth://totp/Sanctuary:lena@ngo.example?") {
		t.Fatalf("%+v %v", k, err)
	}
	now := time.Date(2026, 11, 26, 12, 0, 10, 0, time.UTC)
	code, _ := TOTPCode(k.Secret, now)
	step, ok := CheckTOTP(k.Secret, code, now, 0)
	if !ok || step != TOTPStep(now) {
		t.Fatalf("fresh code: %d %v", step, ok)
	}
	if _, ok := CheckTOTP(k.Secret, code, now, step); ok {
		t.Error("a code was accepted twice")
	}
	if _, ok := CheckTOTP(k.Secret, code, now.Add(30*time.Second), 0); !ok {
		t.Error("a code one step old was refused")
	}
	if _, ok := CheckTOTP(k.Secret, code, now.Add(90*time.Second), 0); ok {
		t.Error("a code three steps old was accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := CheckTOTP(k.Secret, bad, now, 0); ok {
			t.Errorf("code %q accepted", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	tok, hash := NewToken(PrefixAPIToken)
	if !ValidToken(tok, PrefixAPIToken) || ValidToken(tok, PrefixSession) || HashToken(tok) != hash || len(hash) != 64 {
		t.Errorf("token %q hash %q", tok, hash)
	}
	other, _ := NewToken(PrefixAPIToken)
	if other == tok {
		t.Error("two tokens are equal")
	}
	for _, bad := range []string{"", "snt_", tok + "a", strings.ToUpper(tok), tok[:len(tok)-1] + "!"} {
		if ValidToken(bad, PrefixAPIToken) {
			t.Errorf("%q passed as a token", bad)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
		typed := strings.ToLower(strings.ReplaceAll(c, "-", " "))
		if NormalizeRecoveryCode(typed) != strings.ReplaceAll(c, "-", "") {
			t.Errorf("%q typed as %q does not match", c, typed)
		}
	}
	if len(codes) != RecoveryCodes {
		t.Errorf("%d codes", len(codes))
	}
}

func TestLockAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for failures, want := range map[int]time.Duration{0: 0, 4: 0, 5: 15 * time.Minute, 6: 0, 9: 0,
		10: 30 * time.Minute, 15: time.Hour, 500: 24 * time.Hour} {
		got := LockAfter(failures, now)
		if want == 0 && !got.IsZero() || want != 0 && got.Sub(now) != want {
			t.Errorf("%d failures: locked until %v, want +%v", failures, got, want)
		}
	}
}

// FuzzNormalizeEmail: no input panics, and what is accepted is stable.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"lena@ngo.example", " A@B.c ", "x", "@", "a@b", "\x00@x.y", "Лена@пример.рф"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, msg := NormalizeEmail(s)
		if msg != "" {
			return
		}
		if again, msg := NormalizeEmail(e); again != e || msg != "" {
			t.Fatalf("%q → %q → %q (%s)", s, e, again, msg)
		}
	})
}

// FuzzValidToken: no input panics; accepted tokens have the prefix and
// length of ours.
func FuzzValidToken(f *testing.F) {
	tok, _ := NewToken(PrefixSession)
	for _, s := range []string{tok, "", "sns_", tok + "x", strings.ToUpper(tok)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidToken(s, PrefixSession) && (len(s) != len(tok) || !strings.HasPrefix(s, PrefixSession)) {
			t.Fatalf("accepted %q", s)
		}
	})
}
