// Package app holds Sanctuary's use cases: open a case, record a fact, move
// a case along its workflow, add a note, export a case. The web UI, the JSON
// API and the CLI all call these and nothing below them.
//
// Each use case validates its input completely before it touches the
// database (returning an EINVALID error that names every bad field), then
// runs in exactly one transaction: it either happens entirely, with its
// entry on the case's timeline, or not at all.
//
// Who is acting comes from the context ([sanctuary.WithPrincipal]). Every
// use case names the action it does; whether the principal may is decided
// in one table (authz.go), and every decision about client data is
// recorded in the audit trail (access.go).
package app

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// App is the set of use cases over one database and one knowledge pack,
// and, when configured, the evidence vault and custody log.
type App struct {
	db    *store.DB
	pack  *rules.Pack
	vocab *casefile.Vocabulary
	log   *slog.Logger
	ev    *Evidence
	// publicURL is where browsers reach the server; see WithPublicURL.
	publicURL string
	// argon bounds how many password checks run at once.
	argon chan struct{}
	// secrets caches opened evidence descriptions.
	secrets secretCache
}

// Evidence is what the evidence use cases need: the encrypted object
// store, the vault key that wraps case keys, and the custody log.
type Evidence struct {
	Store   *vault.Store
	Key     *vault.Key
	Custody *ledger.Log
	// FaultHook, when set, is asked after each step of an ingest
	// ("stored", "pending", "logged") and may stop it there with an
	// error, as a crash would; by recovery once it holds its lock
	// ("recovering"); and by a shred once its keys are destroyed, before
	// its custody event is appended ("shredded"); and by an edit of an
	// item's description once it has read the item, before it writes
	// ("edit-read"). Crash tests and tests of several processes use it.
	FaultHook func(step string) error
}

// fault asks the fault hook about a step.
func (ev *Evidence) fault(step string) error {
	if ev.FaultHook == nil {
		return nil
	}
	return ev.FaultHook(step)
}

// Option configures an App.
type Option func(*App)

// WithEvidence enables the evidence use cases.
func WithEvidence(ev *Evidence) Option { return func(a *App) { a.ev = ev } }

// New returns the use cases over db. Facts are validated against the
// pack's vocabulary and cases are assessed against its rules.
func New(db *store.DB, pack *rules.Pack, log *slog.Logger, opts ...Option) *App {
	a := &App{db: db, pack: pack, vocab: pack.Vocabulary(), log: log, argon: make(chan struct{}, max(2, 2*runtime.NumCPU()))}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Vocabulary returns the fact vocabulary in use.
func (a *App) Vocabulary() *casefile.Vocabulary { return a.vocab }

// Pack returns the knowledge pack in use.
func (a *App) Pack() *rules.Pack { return a.pack }

// Ready reports whether the database answers and its schema is current.
func (a *App) Ready(ctx context.Context) error {
	if err := a.db.Ping(ctx); err != nil {
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the database does not answer", Err: err}
	}
	pending, err := a.db.PendingMigrations(ctx)
	if err != nil {
		return &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "the database schema cannot be read", Err: err}
	}
	if len(pending) > 0 {
		return sanctuary.Errorf(sanctuary.EUNAVAILABLE, "the database schema is not up to date (%d migrations pending)", len(pending))
	}
	return nil
}

// today is the current date in UTC.
func (a *App) today() casefile.Date { return casefile.DateOf(a.db.Now().UTC()) }

// Today is the date by the app's clock (tests may move it), in UTC.
func (a *App) Today() casefile.Date { return a.today() }

// findCase loads the case named by ref within tx. A malformed reference is
// reported as not found, like a well-formed one that does not exist.
func findCase(ctx context.Context, tx *store.Tx, ref string) (casefile.Case, error) {
	if !casefile.ValidReference(ref) {
		return casefile.Case{}, sanctuary.Errorf(sanctuary.ENOTFOUND, "no case with reference %s", quoteShort(ref))
	}
	return tx.CaseByReference(ctx, ref)
}

// quoteShort quotes s for a message, cut to 40 bytes.
func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// record appends an event to the case's timeline.
func record(ctx context.Context, tx *store.Tx, c casefile.Case, who string, kind casefile.EventKind, d casefile.EventDetail) error {
	e, err := casefile.NewEvent(who, kind, d)
	if err != nil {
		return err
	}
	return tx.AppendEvent(ctx, c.ID, &e)
}

// mergeErrs copies every entry of src into dst.
func mergeErrs(dst, src map[string]string) {
	for k, v := range src {
		dst[k] = v
	}
}

// ReadVocabulary returns the fact vocabulary, to whoever may read it.
func (a *App) ReadVocabulary(ctx context.Context) (*casefile.Vocabulary, error) {
	if _, err := principalMay(ctx, ActVocabularyRead); err != nil {
		return nil, err
	}
	return a.vocab, nil
}

// ReadPack returns the knowledge pack, to whoever may read it.
func (a *App) ReadPack(ctx context.Context) (*rules.Pack, error) {
	if _, err := principalMay(ctx, ActKnowledgeRead); err != nil {
		return nil, err
	}
	return a.pack, nil
}
