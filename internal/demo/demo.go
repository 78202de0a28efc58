// Package demo fills an empty Sanctuary with three fictional cases, so
// that someone trying it ("sanctuary serve --demo") sees every page with
// something on it within a minute:
//
//   - a mobilised soldier who deserted and waits in Armenia, a transit
//     country (status evidence, assessed twice, a client invitation);
//   - a conscript without a summons who applied for asylum in Germany
//     (status filed);
//   - a blogger prosecuted for "discrediting" the army, now in Georgia
//     (status assessment).
//
// Each case has facts from the knowledge pack's vocabulary with their
// sources, notes, evidence (a picture, a PDF and a text file, encrypted
// into the vault with their custody history), transitions, an assessment
// with its findings, and a fact learned after it, so that the timeline
// tells a story.
//
// Everyone in them is fictional, and says so: the names begin with
// "Demo-", every note and evidence title begins with [Marked], contacts
// are at demo.invalid, and every document reads DEMO. The staff accounts
// are at demo.invalid too; the newcomer signs in as [Lawyer], which is set
// up exactly as a person does it on the setup page.
//
// Seed only calls the app layer, as the demo's staff: the operator makes
// the accounts and the lawyer makes the cases. It refuses a database that
// already has accounts; the CLI gives it a new, temporary one.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Login is how the newcomer gets in: the demo lawyer's sign-in, and the
// client's view of the first case.
type Login struct {
	// URL is the sign-in page.
	URL      string
	Email    string
	Password string
	// TOTPSecret (base32) is for an authenticator app.
	TOTPSecret string
	// RecoveryCode replaces the TOTP code once: it is used up by the
	// first sign-in that gives it.
	RecoveryCode string
	// Invitation is the client's invitation link to the first case, in
	// Russian.
	Invitation string
	Cases      []Case
}

// Case names a demo case.
type Case struct {
	Reference string
	Label     string // what kind of case it is, such as "deserter in transit"
}

// Seed makes the demo's accounts and cases in a's database, which must
// have no accounts yet (ECONFLICT otherwise). The app must have the
// evidence vault.
func Seed(ctx context.Context, a *app.App) (Login, error) {
	l, err := makeStaff(ctx, a)
	if err != nil {
		return Login{}, err
	}
	p, err := a.CommandLinePrincipal(ctx, l.Email)
	if err != nil {
		return Login{}, fmt.Errorf("demo: act as %s: %w", l.Email, err)
	}
	as := sanctuary.WithPrincipal(ctx, p)
	today := casefile.DateOf(time.Now().UTC())
	for _, tale := range []func(casefile.Date) (story, error){deserter, conscript, blogger} {
		s, err := tale(today)
		if err != nil {
			return Login{}, err
		}
		ref, err := tell(as, a, s)
		if err != nil {
			return Login{}, err
		}
		l.Cases = append(l.Cases, Case{Reference: ref, Label: s.label})
	}
	_, token, err := a.InviteClient(as, l.Cases[0].Reference, "ru", 0)
	if err != nil {
		return Login{}, fmt.Errorf("demo: invite the client of %s: %w", l.Cases[0].Reference, err)
	}
	l.URL, l.Invitation = a.Link("/login"), a.Link("/invite/"+token)
	return l, nil
}
