package main

import (
	"context"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// round delivers one kill and checks what it left. The kill's victim is
// either the long-running server under concurrent API load (its in-flight
// requests all die at once, in whatever state each was), or a command
// (shred and reassess exist only as commands) run beside that server
// under the same load, killed at a random moment of its run — start-up
// and recovery included.
func (c *campaign) round(ctx context.Context, n int, kind string) error {
	rng := c.rand(n, 0)
	victim := "cli"
	if kind == "ingest" || kind == "custody" || kind == "facts" {
		if rng.IntN(2) == 0 {
			victim = "serve"
		}
	}
	lctx, stop := context.WithCancel(ctx)
	l := c.newLoad(n, kind, victim)
	if victim == "serve" {
		l.trig = c.plan(kind, rng, l)
		c.box.logf("kill %d: %s, the server, at the %dth %s (fraction %.2f, then %s)", n, kind, l.trig.nth, l.trig.op, l.trig.frac, l.trig.delay)
	} else {
		c.box.logf("kill %d: %s, a command", n, kind)
	}
	if victim == "serve" || !c.cfg.quietCLI {
		l.start(lctx, mix(kind, victim))
	}
	var killed bool
	if victim == "serve" {
		select {
		case <-l.trig.done:
		case <-time.After(time.Minute): // the aim was never reached: kill now
			l.trig.fire()
			<-l.trig.done
		case <-ctx.Done():
		}
		killed = l.trig.killed // false: the server had ended by itself, which restart reports
	} else {
		sleep(lctx, time.Duration(100+rng.IntN(400))*time.Millisecond)
		killed = c.cliKills(lctx, n, kind, rng, l)
	}
	stop()
	l.wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if killed {
		c.st.add(c.st.kills, kind+"/"+victim, 1)
	}
	c.box.logf("kill %d: load stopped; restart and check", n)
	defer c.box.logf("kill %d: checked", n)
	return c.restart(ctx, n)
}

// cliKills runs commands of the kind until one is killed before it ends
// (those that end first are ordinary runs, recorded like any other).
func (c *campaign) cliKills(ctx context.Context, n int, kind string, rng *rand.Rand, l *load) bool {
	for range 30 {
		if ctx.Err() != nil {
			return false
		}
		if c.cliKill(ctx, kind, rng, l) {
			return true
		}
		c.st.mu.Lock()
		c.st.missed++
		c.st.mu.Unlock()
	}
	c.st.fail("kill %d (%s): the command ended before its kill 30 times", n, kind)
	return false
}

// restart brings the server back and runs fsck: on even rounds fsck first,
// with nothing else running (it finishes interrupted ingests itself), on
// odd rounds the server first (its start-up does it), then fsck beside it.
// Then the checks.
func (c *campaign) restart(ctx context.Context, n int) error {
	if c.srv.alive() {
		if err := c.srv.stop(time.Minute); err != nil {
			c.st.fail("kill %d: %v", n, err)
		}
	} else if !c.srv.result.killed {
		c.st.fail("kill %d: the server had ended by itself: %v", n, c.srv.result)
	}
	var err error
	if n%2 == 0 {
		c.fsck(ctx, n, "0s")
		c.srv, err = c.box.startServe(ctx)
	} else if c.srv, err = c.box.startServe(ctx); err == nil {
		c.fsck(ctx, n, "1h")
	}
	if err != nil {
		return err
	}
	c.api.base = c.srv.base
	c.check(ctx, n)
	return nil
}

// fsck runs "sanctuary fsck" (with --deep on deep rounds): it must end 0
// and say ok, with no PROBLEM.
func (c *campaign) fsck(ctx context.Context, n int, grace string) {
	args := []string{"fsck", "--grace", grace}
	name := "fsck"
	if c.deep {
		args, name = append(args, "--deep"), "fsck --deep"
	}
	r := c.box.run(ctx, nil, "", args...)
	c.st.check(name)
	if r.code != 0 || strings.Contains(r.stdout, "PROBLEM") || !strings.HasSuffix(strings.TrimSpace(r.stdout), "ok") {
		c.st.fail("kill %d: %s: %v", n, name, r)
	}
	if m := unrecorded.FindStringSubmatch(r.stdout); m != nil {
		c.st.mu.Lock()
		c.st.unrecorded = atoi(m[1])
		c.st.mu.Unlock()
	}
}

var unrecorded = regexp.MustCompile(`note: ([0-9]+) log entries are not recorded`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
