package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rssSampler reads the server's resident memory (VmRSS in
// /proc/PID/status) at an interval.
type rssSampler struct {
	pid     int
	every   time.Duration
	warmup  time.Duration
	mu      sync.Mutex
	samples []rssSample
	err     error
}

type rssSample struct {
	at  time.Duration // since the sessions began
	kib int64
}

func newRSSSampler(pid int, every, warmup time.Duration) *rssSampler {
	return &rssSampler{pid: pid, every: every, warmup: warmup}
}

func (r *rssSampler) run(ctx context.Context) {
	start := time.Now()
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		kib, err := vmRSS(r.pid)
		r.mu.Lock()
		if err != nil {
			r.err = err
		} else {
			r.samples = append(r.samples, rssSample{at: time.Since(start), kib: kib})
		}
		r.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// vmRSS reads VmRSS, in KiB, of a process.
func vmRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// steady are the samples after the warm-up.
func (r *rssSampler) steady() []rssSample {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []rssSample
	for _, s := range r.samples {
		if s.at >= r.warmup {
			out = append(out, s)
		}
	}
	return out
}

// flat is the memory verdict: the median RSS of the last third of the
// samples after the warm-up is at most 10% (or 8 MiB, whichever is more)
// above the median of the first third. Medians of thirds, not single
// samples, because the Go collector makes RSS swing by a few MiB. Fewer
// than six samples cannot be judged, and count as flat (said so).
func (r *rssSampler) flat() bool {
	s := r.steady()
	if len(s) < 6 {
		return true
	}
	first, last := medianKiB(s[:len(s)/3]), medianKiB(s[len(s)-len(s)/3:])
	return last-first <= max(first/10, 8<<10)
}

func medianKiB(s []rssSample) int64 {
	v := make([]int64, len(s))
	for i, x := range s {
		v[i] = x.kib
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// slope is the least-squares trend of the steady samples, MiB a minute.
func slope(s []rssSample) float64 {
	n := float64(len(s))
	var sx, sy, sxx, sxy float64
	for _, p := range s {
		x, y := p.at.Minutes(), float64(p.kib)/1024
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// print writes the memory report.
func (r *rssSampler) print(w io.Writer) {
	r.mu.Lock()
	all := slices.Clone(r.samples)
	err := r.err
	r.mu.Unlock()
	s := r.steady()
	if len(all) == 0 || len(s) == 0 {
		fmt.Fprintf(w, "server RSS: no samples after the warm-up (%v)\n", err)
		return
	}
	maxKiB := int64(0)
	for _, x := range s {
		maxKiB = max(maxKiB, x.kib)
	}
	mib := func(k int64) string { return fmt.Sprintf("%.1f", float64(k)/1024) }
	fmt.Fprintf(w, "server RSS (MiB), a sample every %s, %d samples: at the start %s; after the %s warm-up: first %s, median %s, max %s, end %s; trend %+.2f MiB/min\n",
		r.every, len(all), mib(all[0].kib), r.warmup, mib(s[0].kib), mib(medianKiB(s)), mib(maxKiB), mib(s[len(s)-1].kib), slope(s))
	switch {
	case len(s) < 6:
		fmt.Fprintf(w, "memory: too few samples after the warm-up to judge (%d < 6)\n", len(s))
	default:
		first, last := medianKiB(s[:len(s)/3]), medianKiB(s[len(s)-len(s)/3:])
		verdict := "FLAT"
		if !r.flat() {
			verdict = "NOT FLAT"
		}
		fmt.Fprintf(w, "memory: %s — median of the last third %s MiB vs the first third %s MiB (flat: at most 10%% or 8 MiB more)\n",
			verdict, mib(last), mib(first))
	}
}
