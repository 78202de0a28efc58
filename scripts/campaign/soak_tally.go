package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// tally counts the soak's requests by action, their latencies, and every
// error: a transport error, or a status that is not the expected one.
type tally struct {
	mu       sync.Mutex
	took     time.Duration
	lat      map[string][]time.Duration
	errors   map[string]int
	examples []string
}

func newTally() *tally { return &tally{lat: map[string][]time.Duration{}, errors: map[string]int{}} }

// record counts one request; it reports whether it was as expected.
func (t *tally) record(action string, took time.Duration, r reply, err error, want ...int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lat[action] = append(t.lat[action], took)
	var what string
	switch {
	case err != nil:
		what = action + ": transport error"
	case !slices.Contains(want, r.status):
		what = fmt.Sprintf("%s: %d", action, r.status)
	default:
		return true
	}
	t.errors[what]++
	if len(t.examples) < 20 {
		t.examples = append(t.examples, fmt.Sprintf("%s %s: %v %v", time.Now().Format("15:04:05"), action, r, err))
	}
	return false
}

func (t *tally) errorCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, k := range t.errors {
		n += k
	}
	return n
}

// print writes the requests, per action with latencies, and the errors.
func (t *tally) print(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	total := 0
	for _, l := range t.lat {
		total += len(l)
	}
	fmt.Fprintf(w, "requests: %d (%.0f a second)\n", total, float64(total)/t.took.Seconds())
	fmt.Fprintf(w, "  %-36s %8s %8s %8s %8s\n", "action", "count", "p50 ms", "p99 ms", "max ms")
	for _, a := range slices.Sorted(maps.Keys(t.lat)) {
		l := slices.Clone(t.lat[a])
		slices.Sort(l)
		fmt.Fprintf(w, "  %-36s %8d %8.1f %8.1f %8.1f\n", a, len(l), ms(quantile(l, 0.5)), ms(quantile(l, 0.99)), ms(l[len(l)-1]))
	}
	n := 0
	for _, k := range t.errors {
		n += k
	}
	fmt.Fprintf(w, "errors: %d (target 0)\n", n)
	for _, e := range slices.Sorted(maps.Keys(t.errors)) {
		fmt.Fprintf(w, "  %s: %d\n", e, t.errors[e])
	}
	for _, e := range t.examples {
		fmt.Fprintf(w, "  e.g. %s\n", e)
	}
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	return sorted[int(q*float64(len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
