package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// The demo's staff accounts. The .invalid domain cannot exist (RFC 2606),
// so no mail could ever reach anyone.
const (
	// Lawyer is the account the newcomer signs in as.
	Lawyer = "demo-lawyer@demo.invalid"
	// caseworker and colleague are on some of the cases' teams; they
	// never finish their setup, so nobody can sign in as them.
	caseworker = "demo-caseworker@demo.invalid"
	colleague  = "demo-colleague@demo.invalid"
)

// totpStep is the length of a TOTP step (RFC 6238, as account uses).
const totpStep = 30 * time.Second

// makeStaff makes the demo's accounts as the operator does with "sanctuary
// user add", and sets up the lawyer's as its setup page would. It refuses
// a database that has accounts already: the demo never mixes with real
// data.
func makeStaff(ctx context.Context, a *app.App) (Login, error) {
	op := sanctuary.WithPrincipal(ctx, sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "cli"})
	users, err := a.Users(op)
	if err != nil {
		return Login{}, fmt.Errorf("demo: list the accounts: %w", err)
	}
	if len(users) > 0 {
		return Login{}, sanctuary.Errorf(sanctuary.ECONFLICT, "the demo is made only in an empty database; this one has %d accounts", len(users))
	}
	for _, n := range []app.NewUser{
		{Email: caseworker, Name: "Demo Caseworker (fictional)", Role: sanctuary.RoleCaseworker},
		{Email: colleague, Name: "Demo Colleague (fictional)", Role: sanctuary.RoleLawyer},
	} {
		if _, _, err := a.AddUser(op, n); err != nil {
			return Login{}, fmt.Errorf("demo: add %s: %w", n.Email, err)
		}
	}
	_, token, err := a.AddUser(op, app.NewUser{Email: Lawyer, Name: "Demo Lawyer (fictional)", Role: sanctuary.RoleLawyer})
	if err != nil {
		return Login{}, fmt.Errorf("demo: add %s: %w", Lawyer, err)
	}
	return setUp(ctx, a, token)
}

// setUp does what the person does on the setup page: reads the TOTP secret
// off it, chooses a password and confirms a code from the app.
func setUp(ctx context.Context, a *app.App, token string) (Login, error) {
	s, err := a.BeginSetup(ctx, token)
	if err != nil {
		return Login{}, fmt.Errorf("demo: open the setup link: %w", err)
	}
	l := Login{Email: s.Email, Password: newPassword(), TOTPSecret: s.TOTP.Secret}
	codes, err := confirm(ctx, a, token, l.Password, s.TOTP.Secret)
	if err != nil {
		return Login{}, fmt.Errorf("demo: set up %s: %w", s.Email, err)
	}
	l.RecoveryCode = codes[0]
	return l, nil
}

// confirm completes the setup with the code of the step before now: it is
// accepted (one step of clock skew) and that step is used up, so the code
// the newcomer's app shows right now stays good for the first sign-in.
func confirm(ctx context.Context, a *app.App, token, password, secret string) ([]string, error) {
	codes, err := confirmOnce(ctx, a, token, password, secret)
	if sanctuary.ErrorCode(err) == sanctuary.EINVALID {
		// A step began between making the code and checking it: once more.
		codes, err = confirmOnce(ctx, a, token, password, secret)
	}
	return codes, err
}

func confirmOnce(ctx context.Context, a *app.App, token, password, secret string) ([]string, error) {
	code, err := account.TOTPCode(secret, time.Now().Add(-totpStep))
	if err != nil {
		return nil, fmt.Errorf("demo: make a TOTP code: %w", err)
	}
	return a.CompleteSetup(ctx, token, password, secret, code)
}

// newPassword makes a random password of 20 base32 letters in groups of
// four (100 bits), easy to type from the terminal.
func newPassword() string {
	t := strings.ToLower(rand.Text()[:20])
	return strings.Join([]string{t[0:4], t[4:8], t[8:12], t[12:16], t[16:20]}, "-")
}
