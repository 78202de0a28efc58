package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"time"
)

// soakConfig are the soak's settings.
type soakConfig struct {
	duration    time.Duration
	sessions    int
	webShare    float64
	cases       int
	every       time.Duration // RSS sample interval
	warmup      time.Duration
	think       time.Duration
	uploadShare float64
	writeShare  float64
	minSize     int64
	maxSize     int64
	seed        uint64
	postgres    bool
	pgURL       string
	dir         string
	bin         string
	keep        bool
}

func parseSoak(args []string) (*soakConfig, error) {
	cfg := &soakConfig{}
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.DurationVar(&cfg.duration, "duration", 10*time.Minute, "how long the sessions run")
	fs.IntVar(&cfg.sessions, "sessions", 50, "concurrent sessions, each its own staff account")
	fs.Float64Var(&cfg.webShare, "web", 0.5, "share of the sessions that use the web pages (signed in with password and TOTP); the rest use API tokens")
	fs.IntVar(&cfg.cases, "cases", 10, "cases; each session works on one team's cases")
	fs.DurationVar(&cfg.every, "sample", 5*time.Second, "how often the server's RSS is read")
	fs.DurationVar(&cfg.warmup, "warmup", 30*time.Second, "first part of the run left out of the memory verdict")
	fs.DurationVar(&cfg.think, "think", 200*time.Millisecond, "mean pause of a session between two actions")
	fs.Float64Var(&cfg.uploadShare, "uploads", 0.03, "share of actions that upload a document")
	fs.Float64Var(&cfg.writeShare, "writes", 0.2, "share of actions that write a fact")
	fs.Int64Var(&cfg.minSize, "min-size", 16<<10, "smallest upload, bytes")
	fs.Int64Var(&cfg.maxSize, "max-size", 1<<20, "largest upload, bytes")
	seed := fs.Uint64("seed", 0, "seed of the sessions' choices (0: from the clock; printed)")
	fs.BoolVar(&cfg.postgres, "postgres", false, "use a fresh PostgreSQL database instead of SQLite")
	fs.StringVar(&cfg.pgURL, "postgres-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"a PostgreSQL server and a role that may CREATE DATABASE")
	fs.StringVar(&cfg.dir, "dir", "", "directory of the run (default: a new one under $TMPDIR)")
	fs.StringVar(&cfg.bin, "bin", "", "a sanctuary binary (default: build ./cmd/sanctuary)")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the run's directory (and database) after a run without errors")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.seed = *seed
	if cfg.seed == 0 {
		cfg.seed = uint64(time.Now().UnixNano()) % 1_000_000_007
	}
	if cfg.sessions < 1 || cfg.cases < 1 || cfg.duration <= 0 || cfg.every <= 0 || cfg.maxSize < cfg.minSize || cfg.minSize < 1 {
		return nil, fmt.Errorf("-sessions, -cases, -duration, -sample and sizes must be positive (and -max-size ≥ -min-size)")
	}
	return cfg, nil
}

// soak is one soak under way.
type soak struct {
	cfg    *soakConfig
	box    *box
	srv    *server
	teams  [][]string // case references of each team
	tally  *tally
	rss    *rssSampler
	seeder *client // an account on every team, for seeding
}

func soakMain(ctx context.Context, args []string) error {
	cfg, err := parseSoak(args)
	if err != nil {
		return err
	}
	if cfg.dir == "" {
		if cfg.dir, err = os.MkdirTemp("", "sanctuary-soak-"); err != nil {
			return err
		}
	}
	s := &soak{cfg: cfg, tally: newTally()}
	fmt.Printf("soak: %d sessions (%.0f%% web) for %s, seed %d, %s, in %s\n", cfg.sessions, cfg.webShare*100, cfg.duration,
		cfg.seed, map[bool]string{false: "SQLite", true: "PostgreSQL"}[cfg.postgres], cfg.dir)
	err = s.run(ctx)
	if err == nil {
		s.report(os.Stdout)
	}
	s.finish(err)
	if err != nil {
		return err
	}
	n := s.tally.errorCount()
	if !s.rss.flat() {
		n++ // memory that grows is a failure too
	}
	if n > 0 {
		return failedError{n}
	}
	return nil
}

func (s *soak) run(ctx context.Context) error {
	sessions, err := s.setup(ctx)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Printf("%s setup done: %d web sessions signed in, %d API tokens, %d cases; running\n",
		time.Now().Format("15:04:05"), countWeb(sessions), len(sessions)-countWeb(sessions), s.cfg.cases)
	rctx, stop := context.WithTimeout(ctx, s.cfg.duration)
	defer stop()
	s.rss = newRSSSampler(s.srv.pid(), s.cfg.every, s.cfg.warmup)
	var wg sync.WaitGroup
	wg.Go(func() { s.rss.run(rctx) })
	for i, ses := range sessions {
		rng := rand.New(rand.NewPCG(s.cfg.seed, uint64(i)))
		wg.Go(func() { ses.loop(rctx, rng) })
	}
	wg.Wait()
	s.tally.took = s.cfg.duration
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if !s.srv.alive() {
		return fmt.Errorf("the server ended during the soak: %v", s.srv.result)
	}
	return nil
}

// finish stops the server and removes the run's directory, unless the
// run went wrong or -keep was given.
func (s *soak) finish(err error) {
	if s.srv != nil && s.srv.alive() {
		if serr := s.srv.stop(time.Minute); serr != nil {
			fmt.Printf("stopping the server: %v\n", serr)
		}
	}
	if s.box != nil {
		s.box.close()
	}
	bad := err != nil || s.tally.errorCount() > 0 || s.rss == nil || !s.rss.flat()
	if bad || s.cfg.keep {
		fmt.Printf("kept for inspection: %s (processes.log: what every process said)", s.cfg.dir)
		if s.box != nil && s.box.dbURL != "" {
			fmt.Printf(", database %s", s.box.dbURL)
		}
		fmt.Println()
		return
	}
	if s.box != nil && s.box.dbURL != "" {
		dropDatabase(context.Background(), s.cfg.pgURL, s.box.dbURL)
	}
	os.RemoveAll(s.cfg.dir)
}

// report prints the soak's results.
func (s *soak) report(w io.Writer) {
	fmt.Fprintf(w, "\n== soak: %d sessions (%d web, signed in with password and TOTP; %d API tokens) for %s against one server (%s)\n",
		s.cfg.sessions, int(float64(s.cfg.sessions)*s.cfg.webShare+0.5), s.cfg.sessions-int(float64(s.cfg.sessions)*s.cfg.webShare+0.5),
		s.cfg.duration, map[bool]string{false: "SQLite", true: "PostgreSQL"}[s.cfg.postgres])
	s.tally.print(w)
	s.rss.print(w)
}
