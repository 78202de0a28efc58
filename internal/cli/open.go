package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// logger returns the process logger: to stderr, never with client data.
func (c Config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.LogLevel)) // checked by Config.valid
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// instance is an opened Sanctuary: configuration, database and use cases.
type instance struct {
	cfg Config
	db  *store.DB
	app *app.App
	log *slog.Logger
	// migrated lists the migrations applied on opening.
	migrated []string
	ev       *app.Evidence
	// principal is the staff account named by --actor, if any.
	principal *sanctuary.Principal
	// throwaway is a directory removed on Close: the demo's.
	throwaway string
}

func (in *instance) Close() error {
	err := in.db.Close()
	if in.ev != nil {
		err = errors.Join(err, in.ev.Custody.Close())
	}
	if in.throwaway != "" {
		err = errors.Join(err, os.RemoveAll(in.throwaway))
	}
	return err
}

// open reads the configuration, opens the database, brings its schema up to
// date and returns the use cases, without the evidence vault. The caller
// closes it.
func (e *env) open(ctx context.Context) (*instance, error) { return e.openWith(ctx, false) }

// openVault is open with the evidence vault and the custody log.
func (e *env) openVault(ctx context.Context) (*instance, error) { return e.openWith(ctx, true) }

func (e *env) openWith(ctx context.Context, withEvidence bool) (*instance, error) {
	cfg, _, err := e.config()
	if err != nil {
		return nil, err
	}
	return e.openConfig(ctx, cfg, withEvidence)
}

// openConfig is openWith with the configuration given.
func (e *env) openConfig(ctx context.Context, cfg Config, withEvidence bool) (*instance, error) {
	log := cfg.logger(e.stderr)
	// The vault key comes first: the database keeps every case's data key
	// wrapped to it.
	vk, err := e.vaultKey(cfg)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, cfg.Database(), store.Options{Keyring: vk})
	if err != nil {
		return nil, &sanctuary.Error{Code: sanctuary.EUNAVAILABLE,
			Message: fmt.Sprintf("cannot open the database %s", redact(cfg.Database())), Err: err}
	}
	applied, err := db.Migrate(ctx)
	var se *sanctuary.Error
	if errors.As(err, &se) {
		db.Close()
		return nil, err // says what is wrong in its own words
	}
	if err != nil {
		db.Close()
		return nil, &sanctuary.Error{Code: sanctuary.EUNAVAILABLE, Message: "cannot bring the database schema up to date", Err: err}
	}
	for _, m := range applied {
		log.Info("migration applied", "name", m)
	}
	pack, err := cfg.loadPack()
	if err != nil {
		db.Close()
		return nil, err
	}
	in := &instance{cfg: cfg, db: db, log: log, migrated: applied}
	opts := []app.Option{app.WithPublicURL(cfg.publicURL())}
	in.app = app.New(db, pack, log, opts...)
	if !withEvidence {
		if err := in.resolveActor(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return in, nil
	}
	known, err := in.app.RecordedCustodyLog(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if in.ev, err = e.openEvidence(cfg, vk, known); err != nil {
		db.Close()
		return nil, err
	}
	in.app = app.New(db, pack, log, append(opts, app.WithEvidence(in.ev))...)
	if err := in.startEvidence(ctx); err != nil {
		in.Close()
		return nil, err
	}
	if err := in.resolveActor(ctx); err != nil {
		in.Close()
		return nil, err
	}
	return in, nil
}

// resolveActor finds the staff account named by --actor.
func (in *instance) resolveActor(ctx context.Context) error {
	if in.cfg.Actor == "" {
		return nil
	}
	p, err := in.app.CommandLinePrincipal(ctx, in.cfg.Actor)
	if err != nil {
		return err
	}
	in.principal = &p
	return nil
}

// pack reads the configuration and loads the knowledge pack it names.
func (e *env) pack() (*rules.Pack, error) {
	cfg, _, err := e.config()
	if err != nil {
		return nil, err
	}
	return cfg.loadPack()
}

// startEvidence refuses a custody log that is not the database's or was
// rolled back, finishes ingests interrupted long enough ago, and clears
// old temporary files (app.StartEvidence).
func (in *instance) startEvidence(ctx context.Context) error {
	rep, err := in.app.StartEvidence(ctx)
	in.logRecovery(rep)
	return err
}

// logRecovery says what recovery did, if anything.
func (in *instance) logRecovery(rep app.RecoveryReport) {
	if rep.Completed+rep.Removed+rep.CaseEvents > 0 {
		in.log.Warn("interrupted evidence work settled", "ingests_completed", rep.Completed, "ingests_removed", rep.Removed,
			"case_events_logged", rep.CaseEvents)
	}
}

// loadPack loads the configured knowledge pack: the directory given, or
// the default one built in.
func (c Config) loadPack() (*rules.Pack, error) {
	var p *rules.Pack
	var err error
	if c.Knowledge == "" {
		p, err = knowledge.Load()
	} else {
		p, err = rules.Load(os.DirFS(c.Knowledge))
	}
	if err != nil {
		return nil, &sanctuary.Error{Code: sanctuary.EINVALID, Message: "the knowledge pack does not load", Err: err}
	}
	return p, nil
}

// actorContext returns ctx carrying the staff account named by --actor;
// without one, the app refuses what needs a person (see report's hint).
func (in *instance) actorContext(ctx context.Context) context.Context {
	if in.principal == nil {
		return ctx
	}
	return sanctuary.WithPrincipal(ctx, *in.principal)
}

// operatorContext returns ctx carrying the operator: maintenance from the
// server's shell, which needs no account.
func operatorContext(ctx context.Context) context.Context {
	return sanctuary.WithPrincipal(ctx, sanctuary.Principal{Role: sanctuary.RoleOperator, Via: "cli"})
}
