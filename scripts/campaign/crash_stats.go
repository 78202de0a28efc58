package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// stats counts what the campaign did and found.
type stats struct {
	mu         sync.Mutex
	kills      map[string]int // "kind/victim"
	inFlight   map[string]int // operations under way at the kills, by operation
	missed     int            // commands that ended before their kill came
	checks     map[string]int
	acked      map[string]int // acknowledged writes, by operation
	unknown    map[string]int // outcomes settled by the checks: "upload present", "upload absent", ...
	bytes      int64          // downloaded and hashed by the checks
	failures   []string
	expected   map[string]int // refusals that were the expected outcome (a shredded case's 409)
	unrecorded int            // log entries the database does not know (fsck's note, last seen)
	recovered  settled        // what the server settled after crashes
}

func newStats() *stats {
	return &stats{kills: map[string]int{}, inFlight: map[string]int{}, checks: map[string]int{}, acked: map[string]int{},
		unknown: map[string]int{}, expected: map[string]int{}}
}

func (s *stats) add(m map[string]int, k string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m[k] += n
}

func (s *stats) check(k string)  { s.add(s.checks, k, 1) }
func (s *stats) ack(k string)    { s.add(s.acked, k, 1) }
func (s *stats) settle(k string) { s.add(s.unknown, k, 1) }

func (s *stats) fail(format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fmt.Sprintf(format, a...))
}

func (s *stats) failed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.failures)
}

// print writes the summary.
func (s *stats) print(w io.Writer, cfg *crashConfig, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := 0
	for _, n := range s.kills {
		total += n
	}
	fmt.Fprintf(w, "\n== crash campaign: %d SIGKILLs in %s (seed %d, %s)\n", total, took.Round(time.Second), cfg.seed, cfg.database())
	fmt.Fprintf(w, "kills (kind/victim):     %s\n", line(s.kills))
	fmt.Fprintf(w, "in flight at the kills:  %s\n", line(s.inFlight))
	fmt.Fprintf(w, "commands that ended before their kill (run again): %d\n", s.missed)
	fmt.Fprintf(w, "acknowledged writes:     %s\n", line(s.acked))
	fmt.Fprintf(w, "unknown outcomes settled: %s\n", line(s.unknown))
	fmt.Fprintf(w, "expected refusals:       %s\n", line(s.expected))
	fmt.Fprintf(w, "interrupted work settled by the server (as it logged): %d times, ingests %d completed and %d undone, %d case events logged; %d such lines not understood\n",
		s.recovered.times, s.recovered.completed, s.recovered.undone, s.recovered.caseEvents, s.recovered.unknown)
	fmt.Fprintf(w, "log entries not recorded in the database (fsck's note, at the end; interrupted accesses): %d\n", s.unrecorded)
	fmt.Fprintf(w, "checks:                  %s; %d MiB downloaded and hashed\n", line(s.checks), s.bytes>>20)
	fmt.Fprintf(w, "failures:                %d\n", len(s.failures))
	for _, f := range s.failures {
		fmt.Fprintf(w, "  FAIL %s\n", f)
	}
}

func line(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
