package main

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// load is the concurrent API traffic of one round: uploads, custody
// events (downloads, views, edits, exports), fact writes and kept
// assessments, each recorded as acknowledged or of unknown outcome.
type load struct {
	c       *campaign
	n       int
	trig    *trigger // the server's kill, when it is the victim
	flying  map[string]*atomic.Int64
	wg      sync.WaitGroup
	noEdits bool // a command edits an item this round: the load does not
}

var loadOps = []string{"upload", "download", "view", "edit", "export", "fact", "assess"}

func (c *campaign) newLoad(n int, kind, victim string) *load {
	l := &load{c: c, n: n, flying: map[string]*atomic.Int64{}, noEdits: kind == "custody" && victim == "cli"}
	for _, op := range loadOps {
		l.flying[op] = new(atomic.Int64)
	}
	return l
}

// mix is how many workers of each kind a round runs: more of whatever
// the kill aims at.
func mix(kind, victim string) map[string]int {
	m := map[string]int{"upload": 1, "custody": 1, "facts": 1, "assess": 1}
	switch kind {
	case "ingest":
		m["upload"] = 3
	case "custody":
		m["custody"] = 3
	case "facts":
		m["facts"] = 3
	case "shred":
		m["upload"], m["custody"] = 2, 2
	}
	return m
}

func (l *load) start(ctx context.Context, m map[string]int) {
	for role, k := range m {
		for i := range k {
			rng := l.c.rand(l.n, 1+len(role)*16+i)
			switch role {
			case "upload":
				l.wg.Go(func() { l.uploader(ctx, rng) })
			case "custody":
				l.wg.Go(func() { l.custodian(ctx, rng, i, k) })
			case "facts":
				l.wg.Go(func() { l.factWriter(ctx, rng, i, k) })
			case "assess":
				l.wg.Go(func() { l.assessor(ctx, rng) })
			}
		}
	}
}

func (l *load) wait() { l.wg.Wait() }

// down reports whether the server is being killed or is dead: the
// workers stop.
func (l *load) down() bool { return (l.trig != nil && l.trig.fired.Load()) || !l.c.srv.alive() }

func (l *load) fly(op string, d int64) { l.flying[op].Add(d) }

// snapshot counts the operations in flight, at a kill.
func (l *load) snapshot() {
	for op, n := range l.flyingNow() {
		l.c.st.add(l.c.st.inFlight, op, n)
	}
}

// outcome of a request, for the record.
type outcome int

const (
	acked   outcome = iota
	refused         // an answer that changed nothing
	unknown         // no answer: the write may or may not have happened
)

// outcome classifies a request's end. Only the wanted statuses, and a
// shredded case's 409, are expected; anything else while the server runs
// is a failure.
func (l *load) outcome(ctx context.Context, what string, cr *caseRec, r reply, err error, want ...int) outcome {
	switch {
	case err != nil && (ctx.Err() != nil || l.down()):
		return unknown
	case err != nil:
		l.c.st.fail("kill %d: %s on %s: transport error while the server runs: %v", l.n, what, cr.ref, err)
		return unknown
	case slices.Contains(want, r.status):
		return acked
	case r.status == 409 && l.c.rec.shredding(cr):
		l.c.st.add(l.c.st.expected, what+" of a shredded case: 409", 1)
		return refused
	case r.status >= 500:
		l.c.st.fail("kill %d: %s on %s: %v", l.n, what, cr.ref, r)
		return unknown
	default:
		l.c.st.fail("kill %d: %s on %s: %v", l.n, what, cr.ref, r)
		return refused
	}
}

// think pauses a worker briefly, as people do, so that two cores are
// not only the load's.
func think(ctx context.Context, rng *rand.Rand) {
	sleep(ctx, time.Duration(rng.IntN(20))*time.Millisecond)
}

// newUpload makes the next document and its record.
func (c *campaign) newUpload(rng *rand.Rand, via string) *uploadRec {
	n := c.uploads.Add(1)
	lo, hi := math.Log(float64(c.cfg.minSize)), math.Log(float64(c.cfg.maxSize))
	size := int64(math.Exp(lo + rng.Float64()*(hi-lo)))
	doc := document{seed: c.cfg.seed*1_000_003 + uint64(n), size: size}
	return &uploadRec{title: "campaign upload " + itoa(n) + " via " + via + " (fictional)", doc: doc, sha: doc.sha256(), size: size, via: via}
}

// date is a value of a date fact made from a counter.
func date(g int64) string {
	return time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(g%20000)).Format(time.DateOnly)
}

// trigger is the server's kill, aimed at the nth operation of a kind:
// for an upload when a fraction of its body is sent (or, at 1, a moment
// after the whole body, while the server commits it); for the others a
// moment after the request went out.
type trigger struct {
	op     string
	nth    int64
	frac   float64
	delay  time.Duration
	count  atomic.Int64
	once   sync.Once
	fired  atomic.Bool
	done   chan struct{}
	killed bool // the kill ended the server (false: it had ended by itself)
	kill   func() bool
	snap   func()
	log    func(format string, a ...any)
}

// plan aims the server's kill for a round.
func (c *campaign) plan(kind string, rng *rand.Rand, l *load) *trigger {
	t := &trigger{done: make(chan struct{}), kill: c.srv.kill, snap: l.snapshot, log: c.box.logf}
	switch kind {
	case "ingest":
		t.op, t.nth, t.frac = "upload", 1+rng.Int64N(3), 1
		if rng.IntN(2) == 0 {
			t.frac = rng.Float64()
		}
		t.delay = time.Duration(rng.Int64N(int64(50 * time.Millisecond)))
	case "custody":
		t.op = []string{"download", "download", "view", "view", "edit", "export"}[rng.IntN(6)]
		t.nth, t.delay = 1+rng.Int64N(4), time.Duration(rng.Int64N(int64(20*time.Millisecond)))
	default:
		t.op, t.nth, t.delay = "fact", 1+rng.Int64N(20), time.Duration(rng.Int64N(int64(10*time.Millisecond)))
	}
	return t
}

// begin counts an operation; it returns its number among those of its kind.
func (t *trigger) begin(op string) int64 {
	if t == nil || op != t.op {
		return 0
	}
	k := t.count.Add(1)
	if op != "upload" && k == t.nth {
		t.after(t.delay)
	}
	return k
}

// progress is told how much of upload k's document has been sent.
func (t *trigger) progress(k, sent, size int64) {
	if t == nil || k != t.nth {
		return
	}
	switch {
	case t.frac < 1 && float64(sent) >= t.frac*float64(size):
		t.after(0)
	case sent == size:
		t.after(t.delay)
	}
}

func (t *trigger) after(d time.Duration) {
	t.once.Do(func() { time.AfterFunc(d, t.fire) })
}

// fire kills the server, once.
func (t *trigger) fire() {
	if !t.fired.CompareAndSwap(false, true) {
		return
	}
	t.snap()
	t.killed = t.kill()
	t.log("SIGKILL sent to the server")
	close(t.done)
}
