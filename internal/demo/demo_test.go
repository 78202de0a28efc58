package demo_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/demo"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// newApp opens the use cases over db with the default pack and an
// evidence vault and custody log in a temporary directory.
func newApp(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	dir := t.TempDir()
	st, err := vault.OpenStore(filepath.Join(dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	lk, err := custody.CreateKeyFile(filepath.Join(dir, "custody.key"))
	if err != nil {
		t.Fatal(err)
	}
	lg, err := ledger.Open(filepath.Join(dir, "custody"), lk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	pack, err := knowledge.Load()
	if err != nil {
		t.Fatal(err)
	}
	ev := &app.Evidence{Store: st, Key: storetest.Keyring(t), Custody: lg}
	return app.New(db, pack, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithEvidence(ev),
		app.WithPublicURL("http://localhost:8080"))
}

// TestSeed seeds the demo and reads it back as the demo lawyer: three
// cases, each with facts, marked notes, evidence with a custody history,
// an assessment with findings and a fact changed after it; and a second
// seed into the same database is refused.
func TestSeed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		l, err := demo.Seed(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if l.Email != demo.Lawyer || len(l.Cases) != 3 || l.URL != "http://localhost:8080/login" ||
			!strings.HasPrefix(l.Invitation, "http://localhost:8080/invite/sni_") {
			t.Fatalf("login %+v", l)
		}
		as := actAs(t, a, l.Email)
		var statuses []casefile.Status
		for _, c := range l.Cases {
			statuses = append(statuses, checkCase(t, a, as, c.Reference))
		}
		slices.Sort(statuses)
		if len(slices.Compact(statuses)) != 3 {
			t.Errorf("statuses %v, want three different ones", statuses)
		}
		checkCustody(t, a, as, l.Cases[0].Reference)
		if _, err := demo.Seed(context.Background(), a); sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("a second seed: %v, want a conflict", err)
		}
	})
}

func actAs(t *testing.T, a *app.App, email string) context.Context {
	t.Helper()
	p, err := a.CommandLinePrincipal(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return sanctuary.WithPrincipal(context.Background(), p)
}

// checkCase checks one demo case and returns its status.
func checkCase(t *testing.T, a *app.App, as context.Context, ref string) casefile.Status {
	t.Helper()
	c, err := a.GetCase(as, ref)
	if err != nil || !strings.HasPrefix(c.Person.NameLatin.Family, "Demo-") || len(c.Destinations) == 0 {
		t.Fatalf("%s: %+v, %v", ref, c, err)
	}
	facts, err := a.Facts(as, ref)
	if err != nil || len(facts) < 5 {
		t.Errorf("%s: %d facts, %v", ref, len(facts), err)
	}
	notes, err := a.Notes(as, ref)
	if err != nil || len(notes) < 2 || !strings.HasPrefix(notes[0].Body, demo.Marked) {
		t.Errorf("%s: notes %+v, %v", ref, notes, err)
	}
	items, err := a.ListEvidence(as, ref)
	if err != nil || len(items) < 3 {
		t.Errorf("%s: %d evidence items, %v", ref, len(items), err)
	}
	for _, it := range items {
		if !strings.HasPrefix(it.Title, demo.Marked) {
			t.Errorf("%s: evidence %d is not marked fictional: %q", ref, it.ID, it.Title)
		}
	}
	latest, err := a.Assessment(as, ref, 0)
	if err != nil || len(latest.Assessment.Findings) == 0 {
		t.Errorf("%s: no assessment with findings: %v", ref, err)
	}
	checkTimeline(t, a, as, ref)
	return c.Status
}

// checkTimeline wants a fact set after the (first) assessment.
func checkTimeline(t *testing.T, a *app.App, as context.Context, ref string) {
	t.Helper()
	p, err := a.Timeline(as, ref, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []casefile.EventKind
	for _, e := range p.Events {
		kinds = append(kinds, e.Kind)
	}
	assessed := slices.Index(kinds, casefile.EventAssessed)
	if assessed < 0 || !slices.Contains(kinds[assessed:], casefile.EventFactSet) ||
		!slices.Contains(kinds, casefile.EventEvidenceAdded) || !slices.Contains(kinds, casefile.EventStatusChanged) {
		t.Errorf("%s: timeline %v", ref, kinds)
	}
}

// checkCustody wants the deserter's reviewed photo to have been ingested,
// viewed, described anew and copied without metadata.
func checkCustody(t *testing.T, a *app.App, as context.Context, ref string) {
	t.Helper()
	items, err := a.ListEvidence(as, ref)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(items, func(v app.EvidenceView) bool { return v.OriginalName == "voyenny-bilet.png" })
	if i < 0 {
		t.Fatalf("no photo among %d items", len(items))
	}
	entries, err := a.EvidenceCustody(as, ref, items[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range entries {
		types = append(types, e.Type)
	}
	if want := []string{custody.Ingest, custody.View, custody.Annotate}; len(types) < 4 || !slices.Equal(types[:3], want) {
		t.Errorf("custody history %v, want %v and a derive", types, want)
	}
	f, err := a.OpenEvidence(as, ref, items[i].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil || string(head[1:4]) != "PNG" {
		t.Errorf("the photo starts %q, %v", head, err)
	}
}

// TestSeed_SignIn signs in as the demo lawyer with what serve --demo
// prints: the password and the recovery code, which works once; the code
// the authenticator app shows now works too.
func TestSeed_SignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := context.Background()
		l, err := demo.Seed(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		const addr = "192.0.2.7"
		s, left, err := a.UseRecoveryCode(ctx, login(t, a, l).Token, l.RecoveryCode, addr)
		if err != nil || left != account.RecoveryCodes-1 {
			t.Fatalf("the recovery code: %d left, %v", left, err)
		}
		if p, _, err := a.Authenticate(ctx, s.Token); err != nil || p.Email != demo.Lawyer || p.Role != sanctuary.RoleLawyer {
			t.Fatalf("signed in as %+v, %v", p, err)
		}
		if _, _, err := a.UseRecoveryCode(ctx, login(t, a, l).Token, l.RecoveryCode, addr); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
			t.Errorf("the recovery code again: %v, want refused", err)
		}
		code, err := account.TOTPCode(l.TOTPSecret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.VerifyTOTP(ctx, login(t, a, l).Token, code, addr); err != nil {
			t.Errorf("the code the app shows now: %v", err)
		}
	})
}

// login gives the demo password and returns the session awaiting the
// second factor.
func login(t *testing.T, a *app.App, l demo.Login) app.SignIn {
	t.Helper()
	s, err := a.Login(context.Background(), l.Email, l.Password, "192.0.2.7")
	if err != nil || s.Stage != store.StageSecondFactor {
		t.Fatalf("password: %+v, %v", s, err)
	}
	return s
}
