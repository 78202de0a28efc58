package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// crashConfig are the crash campaign's settings.
type crashConfig struct {
	kills       int
	seed        uint64
	postgres    bool
	pgURL       string
	dir         string
	bin         string
	kinds       []string
	deepEvery   int
	exportEvery int
	minSize     int64
	maxSize     int64
	rate        int64
	maxItems    int
	sample      int
	keep        bool
	keepGoing   bool
	quietCLI    bool
}

func (c *crashConfig) database() string {
	if c.postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

var allKinds = []string{"ingest", "custody", "facts", "shred", "reassess"}

func parseCrash(args []string) (*crashConfig, error) {
	cfg := &crashConfig{}
	fs := flag.NewFlagSet("crash", flag.ContinueOnError)
	fs.IntVar(&cfg.kills, "kills", 1000, "SIGKILLs to deliver")
	seed := fs.Uint64("seed", 0, "seed of every random choice (0: from the clock; printed)")
	fs.BoolVar(&cfg.postgres, "postgres", false, "use a fresh PostgreSQL database instead of SQLite")
	fs.StringVar(&cfg.pgURL, "postgres-url", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
		"a PostgreSQL server and a role that may CREATE DATABASE")
	fs.StringVar(&cfg.dir, "dir", "", "directory of the run (default: a new one under $TMPDIR)")
	fs.StringVar(&cfg.bin, "bin", "", "a sanctuary binary (default: build ./cmd/sanctuary)")
	kinds := fs.String("kinds", strings.Join(allKinds, ","), "what the kills aim at")
	fs.IntVar(&cfg.deepEvery, "deep-every", 25, "every so many kills: fsck --deep and re-download every item")
	fs.IntVar(&cfg.exportEvery, "export-every", 10, "every so many kills: export and verify every case's bundle, verify the audit trail")
	fs.Int64Var(&cfg.minSize, "min-size", 64<<10, "smallest upload, bytes")
	fs.Int64Var(&cfg.maxSize, "max-size", 8<<20, "largest upload, bytes")
	fs.Int64Var(&cfg.rate, "rate", 16<<20, "upload speed, bytes a second (so that kills land mid-stream)")
	fs.IntVar(&cfg.maxItems, "max-items", 30, "items a case collects before it is retired (and later shredded)")
	fs.IntVar(&cfg.sample, "sample", 3, "items of each case re-downloaded after each kill beside the new ones")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the run's directory (and database) after a run without failures")
	fs.BoolVar(&cfg.keepGoing, "keep-going", false, "go on after a failure (default: stop at the first)")
	fs.BoolVar(&cfg.quietCLI, "cli-without-load", false,
		"no API load while a command is killed: for code on which a command started beside a busy server is known to break")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	cfg.seed = *seed
	if cfg.seed == 0 {
		cfg.seed = uint64(time.Now().UnixNano()) % 1_000_000_007
	}
	for k := range strings.SplitSeq(*kinds, ",") {
		if !slices.Contains(allKinds, k) {
			return nil, fmt.Errorf("-kinds: %q is not one of %v", k, allKinds)
		}
		cfg.kinds = append(cfg.kinds, k)
	}
	if cfg.kills < 1 || cfg.minSize < 1 || cfg.maxSize < cfg.minSize || cfg.deepEvery < 1 || cfg.exportEvery < 1 {
		return nil, fmt.Errorf("-kills, sizes, -deep-every and -export-every must be positive (and -max-size ≥ -min-size)")
	}
	return cfg, nil
}

// campaign is one crash campaign under way.
type campaign struct {
	cfg      *crashConfig
	box      *box
	srv      *server
	api      *client
	rec      *record
	st       *stats
	lawyer   staff
	vkey     string // the custody log's public key
	packA    string // version of the server's knowledge pack
	packB    string // directory of the second knowledge pack
	lastPk   string // version of the pack of the last reassessment that finished
	cal      map[string]time.Duration
	uploads  atomic.Int64 // numbers uploads: titles and document seeds
	gen      atomic.Int64 // numbers written values
	deep     bool         // this round's checks are the deep ones
	shredGap int          // shredded cases when a missing shred entry was last reported
}

func crashMain(ctx context.Context, args []string) error {
	cfg, err := parseCrash(args)
	if err != nil {
		return err
	}
	if cfg.dir == "" {
		if cfg.dir, err = os.MkdirTemp("", "sanctuary-crash-"); err != nil {
			return err
		}
	}
	c := &campaign{cfg: cfg, rec: newRecord(), st: newStats(), cal: map[string]time.Duration{}}
	fmt.Printf("crash campaign: %d kills, seed %d, %s, in %s\n", cfg.kills, cfg.seed, cfg.database(), cfg.dir)
	start := time.Now()
	err = c.run(ctx)
	if c.box != nil {
		c.st.recovered = recoveries(c.box.log.Name())
	}
	c.st.print(os.Stdout, cfg, time.Since(start))
	c.finish(err)
	if err != nil {
		return err
	}
	if n := c.st.failed(); n > 0 {
		return failedError{n}
	}
	return nil
}

// finish stops the server and removes the run's directory and database,
// unless the run failed or -keep was given.
func (c *campaign) finish(err error) {
	if c.srv != nil && c.srv.alive() {
		c.srv.stop(30 * time.Second)
	}
	if c.box != nil {
		c.box.close()
	}
	if err != nil || c.st.failed() > 0 || c.cfg.keep {
		fmt.Printf("kept for inspection: %s (processes.log: what every process said)", c.cfg.dir)
		if c.box != nil && c.box.dbURL != "" {
			fmt.Printf(", database %s", c.box.dbURL)
		}
		fmt.Println()
		return
	}
	if c.box != nil && c.box.dbURL != "" {
		dropDatabase(context.Background(), c.cfg.pgURL, c.box.dbURL)
	}
	os.RemoveAll(c.cfg.dir)
}

// run sets up, then kills until the count is reached or a failure stops it.
func (c *campaign) run(ctx context.Context) error {
	if err := c.setup(ctx); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	schedule := c.schedule()
	for n := 1; n <= c.cfg.kills; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		kind := schedule[n-1]
		c.deep = n%c.cfg.deepEvery == 0 || n == c.cfg.kills
		if err := c.round(ctx, n, kind); err != nil {
			return fmt.Errorf("kill %d (%s): %w", n, kind, err)
		}
		if n%c.cfg.exportEvery == 0 || n == c.cfg.kills {
			c.checkBundles(ctx, n)
			c.checkAudit(ctx)
			c.checkShredLog(n)
		}
		c.replenish(ctx)
		c.progress(n, kind)
		if c.st.failed() > 0 && !c.cfg.keepGoing {
			return nil
		}
	}
	return nil
}

// schedule spreads the kills evenly over the kinds, in an order drawn
// from the seed.
func (c *campaign) schedule() []string {
	s := make([]string, c.cfg.kills)
	for i := range s {
		s[i] = c.cfg.kinds[i%len(c.cfg.kinds)]
	}
	rng := rand.New(rand.NewPCG(c.cfg.seed, 0))
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

// rand is the random source of one part of one round: the same seed
// makes the same choices, whatever happened in earlier rounds.
func (c *campaign) rand(round, part int) *rand.Rand {
	return rand.New(rand.NewPCG(c.cfg.seed, uint64(round)<<8|uint64(part)))
}

func (c *campaign) progress(n int, kind string) {
	c.st.mu.Lock()
	f := len(c.st.failures)
	c.st.mu.Unlock()
	if n%10 == 0 || n == c.cfg.kills || f > 0 {
		fmt.Printf("%s kill %d/%d (%s): %d cases, %d failures\n", time.Now().Format("15:04:05"), n, c.cfg.kills, kind, len(c.rec.all()), f)
	}
}

// setup makes the installation: database, keys, an account set up through
// its pages with an API token, the second knowledge pack, and the first
// cases with a document each.
func (c *campaign) setup(ctx context.Context) error {
	var dbURL string
	var err error
	if c.cfg.postgres {
		if dbURL, err = freshDatabase(ctx, c.cfg.pgURL, "sanctuary_crash"); err != nil {
			return err
		}
	}
	if c.box, err = newBox(ctx, c.cfg.dir, c.cfg.bin, dbURL); err != nil {
		return err
	}
	if _, err := c.box.must(ctx, "", "fsck"); err != nil { // makes the keys, the vault and the log
		return err
	}
	if c.vkey, err = c.box.logKey(); err != nil {
		return err
	}
	if err := c.makePackB(ctx); err != nil {
		return err
	}
	if c.srv, err = c.box.startServe(ctx); err != nil {
		return err
	}
	if c.lawyer, err = c.box.addStaff(ctx, c.srv.base, "lawyer", "campaign-lawyer@example.invalid"); err != nil {
		return err
	}
	token, err := c.box.token(ctx, c.lawyer.email, "cases:read", "cases:write", "evidence:read", "evidence:write", "knowledge:read")
	if err != nil {
		return err
	}
	c.api = newClient(c.srv.base, token)
	var pack struct{ Version string }
	if r, err := c.api.getJSON(ctx, "/api/v1/knowledge", &pack); err != nil || r.status != 200 || pack.Version == "" {
		return fmt.Errorf("GET /api/v1/knowledge: %v %v", r, err)
	}
	c.packA = pack.Version
	for i := range 5 {
		if _, err := c.openCase(ctx, i >= 3); err != nil {
			return err
		}
	}
	return nil
}

// makePackB copies the default knowledge pack under another version, so
// that each reassessment finds every open case to do again.
func (c *campaign) makePackB(ctx context.Context) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	src := filepath.Join(root, "knowledge")
	c.packB = filepath.Join(c.cfg.dir, "pack-b")
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(c.packB, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o700)
		case !strings.HasSuffix(p, ".yaml"):
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "pack.yaml" {
			b = []byte(versionLine.ReplaceAllString(string(b), `version: "campaign-b"`))
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		return fmt.Errorf("copy the knowledge pack: %w", err)
	}
	_, err = c.box.must(ctx, "", "--knowledge", c.packB, "rules", "lint")
	return err
}

// recoveryLine is the line internal/cli/open.go's logRecovery writes.
var recoveryLine = regexp.MustCompile(`msg="interrupted evidence work settled" ingests_completed=([0-9]+) ingests_removed=([0-9]+) case_events_logged=([0-9]+)`)

// settled sums what the server said it settled at start-up and in
// housekeeping (its log's warning lines).
type settled struct {
	times, completed, undone, caseEvents int
	// unknown counts lines that speak of interrupted evidence work but
	// are not in recoveryLine's form: a reworded line shows here, not as
	// silent zeros.
	unknown int
}

// recoveries reads the settle lines of a process log.
func recoveries(path string) settled {
	var n settled
	b, _ := os.ReadFile(path)
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.Contains(l, "interrupted evidence") {
			continue
		}
		m := recoveryLine.FindStringSubmatch(l)
		if m == nil {
			n.unknown++
			continue
		}
		n.times++
		n.completed += atoi(m[1])
		n.undone += atoi(m[2])
		n.caseEvents += atoi(m[3])
	}
	return n
}

var versionLine = regexp.MustCompile(`(?m)^version:.*$`)
