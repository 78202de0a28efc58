package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
)

// twin is a second process of the same installation: the same data
// directory (vault and custody log), its own connections to the same
// database — a CLI command started beside a running server. Tessera's
// lock on the log is per process, so the two share the one open log.
func twin(t *testing.T, e evidenceEnv, db *store.DB) evidenceEnv {
	t.Helper()
	st, err := vault.OpenStore(filepath.Join(e.dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	ev := &app.Evidence{Store: st, Key: e.ev.Key, Custody: e.ev.Custody}
	return evidenceEnv{app: app.New(db, p, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithEvidence(ev)), ev: ev, dir: e.dir}
}

// later makes db's clock run ahead by d, as if that much time had passed.
func later(db *store.DB, d time.Duration) { db.Now = func() time.Time { return time.Now().Add(d) } }

// TestRecovery_LeavesAnIngestUnderWay starts a second process while an
// ingest waits between storing its object and logging it: the second
// process's start-up recovery leaves it alone, and the ingest completes.
func TestRecovery_LeavesAnIngestUnderWay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		other := twin(t, e, storetest.Reopen(t, db))
		c := mustCreate(t, e.app)
		paused, resume := make(chan struct{}), make(chan struct{})
		e.ev.FaultHook = func(step string) error {
			if step == "pending" {
				close(paused)
				<-resume
			}
			return nil
		}
		done := make(chan error, 1)
		go func() {
			_, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional summons"))
			done <- err
		}()
		<-paused
		if rep, err := other.app.StartEvidence(context.Background()); err != nil || rep != (app.RecoveryReport{}) {
			t.Fatalf("the second process's start: %+v, %v; want it to leave the ingest alone", rep, err)
		}
		close(resume)
		if err := <-done; err != nil {
			t.Fatalf("the ingest under way failed after the second process started: %v", err)
		}
		if list, _ := other.app.ListEvidence(actorCtx(), c.Reference); len(list) != 1 {
			t.Fatalf("%d items, want the one ingested", len(list))
		}
		if objs, _ := e.ev.Store.List(); len(objs) != 1 {
			t.Errorf("objects %v, want the one ingested", objs)
		}
	})
}

// TestRecovery_WaitsForTheGracePeriod leaves two ingests interrupted, one
// before and one after its log entry: within the grace period recovery
// completes the second at once (an ingest appends only while it holds its
// item, so a logged, unheld item's ingest is over — the crash campaign saw
// one stay invisible for an hour, then appear) and leaves the first alone
// (it may still be under way); after the grace period it undoes the first.
func TestRecovery_WaitsForTheGracePeriod(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		db2 := storetest.Reopen(t, db)
		other := twin(t, e, db2)
		c := mustCreate(t, e.app)
		for _, step := range []string{"pending", "logged"} {
			crash := errors.New("crash at " + step)
			e.ev.FaultHook = func(s string) error {
				if s == step {
					return crash
				}
				return nil
			}
			if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional, "+step)); !errors.Is(err, crash) {
				t.Fatalf("err = %v", err)
			}
		}
		rep, err := other.app.RecoverEvidence(context.Background(), app.OrphanGrace)
		if err != nil || rep != (app.RecoveryReport{Completed: 1}) {
			t.Fatalf("within the grace period recovery did %+v, %v; want the logged one completed", rep, err)
		}
		if objs, _ := e.ev.Store.List(); len(objs) != 2 {
			t.Fatalf("objects %v, want both still there", objs)
		}
		later(db2, app.OrphanGrace+time.Minute)
		rep, err = other.app.RecoverEvidence(context.Background(), app.OrphanGrace)
		if err != nil || rep != (app.RecoveryReport{Removed: 1}) {
			t.Fatalf("after the grace period recovery did %+v, %v; want the other removed", rep, err)
		}
		list, _ := e.app.ListEvidence(actorCtx(), c.Reference)
		objs, _ := e.ev.Store.List()
		if len(list) != 1 || len(objs) != 1 {
			t.Errorf("%d items, %d objects; want the completed one", len(list), len(objs))
		}
	})
}

// TestRecovery_NeverUndoesASlowCommit holds an ingest after its log entry
// was written, before it is committed, for longer than the grace period
// (by the second process's clock): recovery must not complete or undo it
// behind its back; the ingest commits it itself.
func TestRecovery_NeverUndoesASlowCommit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		db2 := storetest.Reopen(t, db)
		later(db2, app.OrphanGrace+time.Minute)
		other := twin(t, e, db2)
		c := mustCreate(t, e.app)
		paused, resume := make(chan struct{}), make(chan struct{})
		e.ev.FaultHook = func(step string) error {
			if step == "logged" {
				close(paused)
				<-resume
			}
			return nil
		}
		done := make(chan error, 1)
		go func() {
			_, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional, slow"))
			done <- err
		}()
		<-paused
		type result struct {
			rep app.RecoveryReport
			err error
		}
		recovered := make(chan result, 1)
		go func() {
			rep, err := other.app.RecoverEvidence(context.Background(), app.OrphanGrace)
			recovered <- result{rep, err}
		}()
		// PostgreSQL's recovery skips the locked item at once; SQLite's
		// waits for the ingest's write transaction. Either way the ingest
		// is let go after a while; the outcome must not depend on when.
		var r result
		select {
		case r = <-recovered:
			close(resume)
		case <-time.After(time.Second):
			close(resume)
			r = <-recovered
		}
		if err := <-done; err != nil {
			t.Fatalf("the slow ingest failed: %v", err)
		}
		if r.err != nil || r.rep != (app.RecoveryReport{}) {
			t.Errorf("recovery did %+v, %v to an ingest under way", r.rep, r.err)
		}
		if list, _ := e.app.ListEvidence(actorCtx(), c.Reference); len(list) != 1 {
			t.Fatalf("%d items", len(list))
		}
		rep, err := e.app.Fsck(operatorCtx(), 0, true)
		if err != nil || len(rep.Problems) != 0 || rep.EventsChecked != 1 || rep.UnrecordedEvents != 0 {
			t.Errorf("fsck %+v, %v", rep, err)
		}
	})
}

// TestRecovery_OneAtATime runs the recoveries of four processes at once
// over interrupted ingests: each ingest is completed or undone exactly
// once, and while one recovery runs the others wait.
func TestRecovery_OneAtATime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		c := mustCreate(t, e.app)
		steps := []string{"pending", "logged", "pending", "logged", "logged", "pending"}
		for i, step := range steps {
			crash := errors.New("crash")
			e.ev.FaultHook = func(s string) error {
				if s == step {
					return crash
				}
				return nil
			}
			if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader(strings.Repeat("fictional ", i+1))); !errors.Is(err, crash) {
				t.Fatalf("err = %v", err)
			}
		}
		e.ev.FaultHook = nil
		procs := make([]evidenceEnv, 4)
		var inside, overlaps int
		var mu sync.Mutex
		for i := range procs {
			dbi := storetest.Reopen(t, db)
			later(dbi, app.OrphanGrace+time.Minute)
			procs[i] = twin(t, e, dbi)
			procs[i].ev.FaultHook = func(step string) error {
				if step != "recovering" {
					return nil
				}
				mu.Lock()
				inside++
				if inside > 1 {
					overlaps++
				}
				mu.Unlock()
				time.Sleep(50 * time.Millisecond) // a slow recovery: the others must wait
				mu.Lock()
				inside--
				mu.Unlock()
				return nil
			}
		}
		reps := make([]app.RecoveryReport, len(procs))
		errs := make([]error, len(procs))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				reps[i], errs[i] = procs[i].app.RecoverEvidence(context.Background(), app.OrphanGrace)
			}()
		}
		close(start)
		wg.Wait()
		var total app.RecoveryReport
		for i := range procs {
			if errs[i] != nil {
				t.Errorf("recovery %d: %v", i, errs[i])
			}
			total.Completed += reps[i].Completed
			total.Removed += reps[i].Removed
		}
		if total != (app.RecoveryReport{Completed: 3, Removed: 3}) || overlaps != 0 {
			t.Errorf("together the recoveries did %+v (%v) with %d overlaps; want 3 completed, 3 removed, one at a time", total, reps, overlaps)
		}
		rep, err := e.app.Fsck(operatorCtx(), 0, true)
		if err != nil || len(rep.Problems) != 0 || rep.EventsChecked != 3 || rep.Objects != 3 {
			t.Errorf("fsck %+v, %v", rep, err)
		}
	})
}

// TestCustody_StartBesideAnExporter: a process that starts (and checks the
// custody log) while another instance on the same data directory exports
// — recording ever newer checkpoints — is never refused as rolled back.
// The campaign saw it: the start read the checkpoint, the exporter
// recorded a newer one, and the start then compared its stale reading.
func TestCustody_StartBesideAnExporter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEvidenceApp(t, db)
		other := twin(t, e, db)
		c := mustCreate(t, e.app)
		if _, err := e.app.AddEvidence(actorCtx(), c.Reference, summonsMeta(), strings.NewReader("fictional")); err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			for {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				w := bundle.NewZipWriter(io.Discard)
				if err := e.app.ExportEvidence(actorCtx(), c.Reference, nil, w); err != nil {
					done <- err
					return
				}
			}
		}()
		go func() { // other writers, as a busy server has, keep the start waiting for the database
			for {
				select {
				case <-stop:
					return
				default:
				}
				e.app.AddNote(actorCtx(), c.Reference, "a fictional note")
			}
		}()
		deadline := time.Now().Add(3 * time.Second)
		for i := 0; time.Now().Before(deadline); i++ {
			if err := other.app.CheckCustody(context.Background()); err != nil {
				t.Errorf("start %d beside the exporter: %v", i, err)
				break
			}
		}
		close(stop)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
