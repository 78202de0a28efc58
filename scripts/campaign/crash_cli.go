package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cliOp is a command the campaign runs beside the server, to kill it.
type cliOp struct {
	name  string
	actor string
	args  []string
	doc   *document // fed to its stdin at the campaign's upload rate
	mid   float64   // with doc: kill when this fraction is fed; 1: a moment after all of it
	fed   bool      // all of doc was fed and stdin closed
	done  func(r result)
}

// cliKill runs one command of the kind and kills it at a random moment of
// its expected run; false if it ended first (its outcome is recorded
// all the same, as a success).
func (c *campaign) cliKill(ctx context.Context, kind string, rng *rand.Rand, l *load) bool {
	op := c.cliOp(ctx, kind, rng, l)
	if op == nil {
		return false
	}
	calName := op.name
	if op.doc != nil && op.mid >= 1 {
		calName += " (after its stdin)"
	}
	cal, ok := c.cal[calName]
	if !ok {
		cal = 800 * time.Millisecond
	}
	// Half the kills anywhere in the expected run (start-up and recovery
	// included), half in its last 40%, where a command does its work.
	delay := time.Duration(rng.Int64N(int64(cal)*12/10 + 1))
	if rng.IntN(2) == 0 {
		delay = cal*7/10 + time.Duration(rng.Int64N(int64(cal)*4/10+1))
	}
	r, fedAt := c.runKilled(ctx, op, delay, l)
	if !r.killed && r.code == 0 {
		took := r.took
		if op.doc != nil && op.mid >= 1 {
			took -= fedAt
		}
		if ok {
			took = (cal*7 + took*3) / 10
		}
		c.cal[calName] = took
	}
	op.done(r)
	return r.killed
}

// runKilled runs op and sends SIGKILL after delay (after stdin is all fed
// when op.mid ≥ 1, or when op.mid of it is fed). It returns how the
// command ended and when its stdin was closed.
func (c *campaign) runKilled(ctx context.Context, op *cliOp, delay time.Duration, l *load) (result, time.Duration) {
	cmd := c.box.command(op.actor, op.args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, io.MultiWriter(&errb, c.box.logWriter("sanctuary "+op.name))
	var stdin io.WriteCloser
	if op.doc != nil {
		stdin, _ = cmd.StdinPipe()
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{code: -1, stderr: err.Error()}, 0
	}
	c.box.logf("pid %d: sanctuary %s (to be killed after %s%s)", cmd.Process.Pid, strings.Join(op.args, " "), delay,
		map[bool]string{true: fmt.Sprintf(", or at %.2f of its stdin", op.mid)}[op.doc != nil && op.mid < 1])
	var once sync.Once
	var flying map[string]int
	kill := func() {
		once.Do(func() {
			flying = l.flyingNow()
			cmd.Process.Signal(syscall.SIGKILL)
		})
	}
	var fedAt time.Duration
	var timer *time.Timer
	var mu sync.Mutex
	if op.doc == nil {
		timer = time.AfterFunc(delay, kill)
	} else {
		go func() {
			err := op.doc.copyTo(stdin, c.cfg.rate, func(sent int64) {
				if op.mid < 1 && float64(sent) >= op.mid*float64(op.doc.size) {
					kill()
				}
			})
			if err == nil && stdin.Close() == nil {
				mu.Lock()
				op.fed, fedAt = true, time.Since(start)
				if op.mid >= 1 {
					timer = time.AfterFunc(delay, kill)
				}
				mu.Unlock()
			}
		}()
	}
	err := cmd.Wait()
	r := ended(cmd, err, out.String(), errb.String(), time.Since(start))
	mu.Lock()
	if timer != nil {
		timer.Stop()
	}
	mu.Unlock()
	once.Do(func() {}) // no kill after this
	c.box.logf("pid %d: %s", cmd.Process.Pid, strings.ReplaceAll(r.String(), "\n", " "))
	if r.killed {
		for op, n := range flying {
			c.st.add(c.st.inFlight, op, n)
		}
		c.st.add(c.st.inFlight, "cli "+op.name, 1)
	}
	mu.Lock()
	defer mu.Unlock()
	return r, fedAt
}

// flyingNow counts the load's operations in flight.
func (l *load) flyingNow() map[string]int {
	m := map[string]int{}
	for op, n := range l.flying {
		if k := n.Load(); k > 0 {
			m[op] = int(k)
		}
	}
	return m
}

var addedLine = regexp.MustCompile(`evidence #([0-9]+) added to \S+: ([0-9]+) bytes, sha256 ([0-9a-f]{64})`)

// cliOp makes the command of a kind, with what records its outcome.
func (c *campaign) cliOp(ctx context.Context, kind string, rng *rand.Rand, l *load) *cliOp {
	switch kind {
	case "ingest":
		return c.cliIngest(rng)
	case "custody":
		return c.cliCustody(ctx, rng)
	case "facts":
		cr := pick(rng, c.rec.live())
		v := date(c.gen.Add(1))
		return &cliOp{name: "case set-fact", actor: c.lawyer.email, args: []string{"case", "set-fact", cr.ref, "summons_appearance_date", v},
			done: func(r result) { c.cliDone(r, "fact write (cli)", cr, func(ok bool) { c.rec.fact(cr, "cli", v, ok) }) }}
	case "shred":
		return c.cliShred(ctx, rng)
	default:
		return c.cliReassess(rng)
	}
}

// cliDone records a command's outcome: record(true) on success,
// record(false) when it was killed, a failure otherwise (a shredded
// case's refusal excepted).
func (c *campaign) cliDone(r result, what string, cr *caseRec, record func(ok bool)) {
	switch {
	case r.code == 0:
		record(true)
		c.st.ack(what)
	case r.killed:
		record(false)
	case r.code == 4 && cr != nil && c.rec.shredding(cr):
		c.st.add(c.st.expected, what+" of a shredded case: refused", 1)
	default:
		c.st.fail("%s on %s: %v", what, refOf(cr), r)
	}
}

func refOf(cr *caseRec) string {
	if cr == nil {
		return "-"
	}
	return cr.ref
}

func (c *campaign) cliIngest(rng *rand.Rand) *cliOp {
	cr := pick(rng, c.rec.live())
	u := c.newUpload(rng, "cli")
	op := &cliOp{name: "evidence add", actor: c.lawyer.email, doc: &u.doc, mid: 1,
		args: []string{"evidence", "add", "--case", cr.ref, "--title", u.title, "--kind", "other", "-"}}
	if rng.IntN(2) == 0 {
		op.mid = rng.Float64()
	}
	op.done = func(r result) {
		u.whole = op.fed
		c.cliDone(r, "upload (cli)", cr, func(ok bool) {
			if !ok {
				c.rec.unknownUpload(cr, u)
				return
			}
			m := addedLine.FindStringSubmatch(r.stdout)
			if m == nil {
				c.st.fail("evidence add on %s printed %q", cr.ref, r.stdout)
				return
			}
			it := evidenceItem{ID: int64(atoi(m[1])), Title: u.title, Size: int64(atoi(m[2])), SHA256: m[3]}
			if err := c.rec.ackItem(cr, it, u); err != nil {
				c.st.fail("%v", err)
			}
		})
	}
	return op
}

// cliCustody downloads, edits or exports with the command line.
func (c *campaign) cliCustody(ctx context.Context, rng *rand.Rand) *cliOp {
	cr, it := c.rec.pickItem(rng)
	if it == nil {
		return nil
	}
	switch rng.IntN(5) {
	case 0, 1:
		out := filepath.Join(c.cfg.dir, "cli-download")
		os.Remove(out)
		return &cliOp{name: "evidence get", actor: c.lawyer.email, args: []string{"evidence", "get", "--case", cr.ref, itoa(it.id), "--out", out},
			done: func(r result) {
				c.cliDone(r, "download (cli)", cr, func(ok bool) {
					if ok {
						if sum := fileSHA256(out); sum != it.sha {
							c.st.fail("evidence get of %s item %d wrote other bytes (sha256 %.12s, want %.12s)", cr.ref, it.id, sum, it.sha)
						}
						c.rec.ackEvent(it, "download")
					}
				})
				os.Remove(out)
			}}
	case 2, 3:
		title := "campaign title " + itoa(c.gen.Add(1)) + " via cli (fictional)"
		return &cliOp{name: "evidence edit", actor: c.lawyer.email,
			args: []string{"evidence", "edit", "--case", cr.ref, itoa(it.id), "--title", title, "--kind", "other"},
			done: func(r result) { c.cliDone(r, "edit (cli)", cr, func(ok bool) { c.rec.edit(it, title, ok) }) }}
	default:
		out := filepath.Join(c.cfg.dir, "cli-export.zip")
		os.Remove(out)
		return &cliOp{name: "evidence export", actor: c.lawyer.email, args: []string{"evidence", "export", "--case", cr.ref, "--out", out},
			done: func(r result) {
				c.cliDone(r, "export (cli)", cr, func(ok bool) {
					if ok {
						c.verifyBundle(ctx, cr, out, nil)
					}
				})
				os.Remove(out)
			}}
	}
}

func (c *campaign) cliShred(ctx context.Context, rng *rand.Rand) *cliOp {
	var targets []*caseRec
	for _, cr := range c.rec.live() {
		if cr.throwaway && !c.rec.shredding(cr) {
			targets = append(targets, cr)
		}
	}
	if len(targets) == 0 {
		cr, err := c.openCase(ctx, true)
		if err != nil {
			c.st.fail("open a case to shred: %v", err)
			return nil
		}
		targets = append(targets, cr)
	}
	cr := pick(rng, targets)
	c.rec.mu.Lock()
	cr.shredTry = true
	c.rec.mu.Unlock()
	return &cliOp{name: "case shred", actor: c.lawyer.email, args: []string{"case", "shred", cr.ref, "--confirm", cr.ref},
		done: func(r result) {
			c.cliDone(r, "shred", cr, func(ok bool) {
				if ok {
					c.rec.mu.Lock()
					cr.shredded = true
					c.rec.mu.Unlock()
				}
			})
		}}
}

// cliReassess reassesses every open case with the pack the last finished
// run did not use, so that each run has every case to do.
func (c *campaign) cliReassess(rng *rand.Rand) *cliOp {
	version, args := "campaign-b", []string{"--knowledge", c.packB, "reassess"}
	if c.lastPk == "campaign-b" || (c.lastPk == "" && rng.IntN(2) == 0) {
		version, args = c.packA, []string{"reassess"}
	}
	open := c.rec.live()
	return &cliOp{name: "reassess", args: args, done: func(r result) {
		c.cliDone(r, "reassess", nil, func(ok bool) {
			if !ok {
				return
			}
			if strings.Contains(r.stdout, "failed:") {
				c.st.fail("reassess: %v", r)
			}
			c.lastPk = version
			c.rec.mu.Lock()
			defer c.rec.mu.Unlock()
			for _, cr := range open {
				if !cr.shredded && !cr.shredTry {
					cr.packs[version] = true
				}
			}
		})
	}}
}

func fileSHA256(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
