package ledger_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
)

func openLog(t testing.TB) (*ledger.Log, string) {
	t.Helper()
	dir := t.TempDir()
	key, err := custody.CreateKeyFile(filepath.Join(dir, "log.key"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(filepath.Join(dir, "log"), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l, dir
}

func event(i int) custody.Event {
	return custody.Event{Type: custody.View, Time: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond),
		Case: strings.Repeat("a", 64), Object: fmt.Sprintf("%064x", i), Description: "-", Actor: "test", Prev: "-"}
}

// TestLog_ProofsVerifyIndependently appends events and checks each one's
// proof with torchwood and with golang.org/x/mod/sumdb/tlog directly.
func TestLog_ProofsVerifyIndependently(t *testing.T) {
	l, dir := openLog(t)
	ctx := context.Background()
	var encoded [][]byte
	for i := range 20 {
		idx, b, err := l.Append(ctx, event(i))
		if err != nil {
			t.Fatal(err)
		}
		if idx != uint64(i) {
			t.Fatalf("index %d, want %d", idx, i)
		}
		encoded = append(encoded, b)
	}
	c, err := l.WaitCheckpoint(ctx, 20)
	if err != nil {
		t.Fatal(err)
	}
	again, err := custody.LoadKeyFile(filepath.Join(dir, "log.key"))
	if err != nil || again.VKey != l.Key().VKey {
		t.Fatalf("reloaded key: %v", err)
	}
	for i, b := range encoded {
		got, err := l.Entry(ctx, uint64(i), uint64(c.N))
		if err != nil || string(got) != string(b) {
			t.Fatalf("entry %d read back %q, %v", i, got, err)
		}
		proof, err := l.Proof(ctx, uint64(i), c)
		if err != nil {
			t.Fatal(err)
		}
		if err := torchwood.VerifyProof(again.Policy(), tlog.RecordHash(b), proof); err != nil {
			t.Errorf("torchwood rejects the proof of %d: %v", i, err)
		}
		// x/mod alone: parse the proof lines and check the record.
		lines := strings.Split(string(proof), "\n")
		var p tlog.RecordProof
		for _, ln := range lines[2:] {
			if ln == "" {
				break
			}
			h, err := tlog.ParseHash(ln)
			if err != nil {
				t.Fatal(err)
			}
			p = append(p, h)
		}
		if err := tlog.CheckRecord(p, c.N, c.Hash, int64(i), tlog.RecordHash(b)); err != nil {
			t.Errorf("x/mod/sumdb/tlog rejects the proof of %d: %v", i, err)
		}
		if err := torchwood.VerifyProof(again.Policy(), tlog.RecordHash(encoded[(i+1)%len(encoded)]), proof); err == nil {
			t.Errorf("the proof of %d verifies another entry", i)
		}
	}
	other, _ := custody.CreateKeyFile(filepath.Join(dir, "other.key"))
	proof, _ := l.Proof(ctx, 0, c)
	if err := torchwood.VerifyProof(other.Policy(), tlog.RecordHash(encoded[0]), proof); err == nil {
		t.Error("a proof verified under another log's key")
	}
}

func TestLog_ConcurrentAppends(t *testing.T) {
	l, _ := openLog(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	seen := make([]bool, 300)
	var mu sync.Mutex
	for i := range 300 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx, _, err := l.Append(ctx, event(i))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if idx >= 300 || seen[idx] {
				t.Errorf("index %d twice or out of range", idx)
				return
			}
			seen[idx] = true
		}()
	}
	wg.Wait()
	if _, err := l.WaitCheckpoint(ctx, 300); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAppend measures durable appends per second when many are in
// flight at once, as when many downloads are logged together.
func BenchmarkAppend(b *testing.B) {
	l, _ := openLog(b)
	ctx := context.Background()
	const inFlight = 256
	sem := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	i := 0
	start := time.Now()
	for b.Loop() {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			if _, _, err := l.Append(ctx, event(i)); err != nil {
				b.Error(err)
			}
		}(i)
		i++
	}
	wg.Wait()
	b.ReportMetric(float64(i)/time.Since(start).Seconds(), "appends/s")
}
