package cli_test

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// Tests of several sanctuary processes sharing a database: a command run
// beside an ingest under way, and a second instance with a data directory
// of its own.

// addDoc writes a fictional document and returns its path.
func addDoc(t *testing.T, content string) string {
	t.Helper()
	doc := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(doc, []byte(strings.Repeat(content+"\n", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestMulti_StartLeavesAnIngestUnderWay holds "evidence add" in a child
// process between storing the document and logging it, and meanwhile
// starts a second process: its start-up recovery must leave the ingest
// alone, which then completes.
func TestMulti_StartLeavesAnIngestUnderWay(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
		s.ok("fsck") // creates the keys, the vault and the log
		cmd := s.child(nil, "evidence", "add", "--case", ref, "--title", "Decision (fictional)", addDoc(t, "fictional decision"))
		cmd.Env = append(cmd.Env, "SANCTUARY_TEST_PAUSE_AT=pending")
		resume, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		said := waitFor(t, stderr, "sanctuary: test: paused at pending")
		other := s.child(nil, "evidence", "list", "--case", ref)
		if out, err := other.CombinedOutput(); err != nil {
			t.Fatalf("the second process does not start: %v\n%s", err, out)
		}
		resume.Close()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("the ingest under way failed after another process started: %v\n%s", err, <-said)
		}
		if list := s.ok("evidence", "list", "--case", ref); !strings.Contains(list, "Decision (fictional)") {
			t.Errorf("the item is not there:\n%s", list)
		}
		if fsck := s.ok("fsck", "--grace", "0s", "--deep"); !strings.Contains(fsck, "0 interrupted ingests completed, 0 undone") {
			t.Errorf("fsck:\n%s", fsck)
		}
	})
}

// waitFor reads r until a line holds want, failing the test if it never
// comes; the returned channel gives what was read, once r ends.
func waitFor(t *testing.T, r io.Reader, want string) <-chan string {
	t.Helper()
	lines := make(chan string)
	all := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
		all <- b.String()
	}()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the child ended without saying %q:\n%s", want, <-all)
			}
			if strings.Contains(l, want) {
				return all
			}
		case <-deadline:
			t.Fatalf("the child never said %q", want)
		}
	}
}

// TestMulti_CrashedIngestsWaitForTheGracePeriod kills two ingests, one
// before and one after its log entry: the next process's start-up
// completes the second (its event is logged and no process holds it) and
// leaves the first alone (it may be under way elsewhere); fsck with a
// grace period it is past undoes it.
func TestMulti_CrashedIngestsWaitForTheGracePeriod(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
		s.ok("fsck")
		for _, step := range []string{"pending", "logged"} {
			cmd := s.child(nil, "evidence", "add", "--case", ref, "--title", "Decision (fictional)", addDoc(t, "fictional, "+step))
			cmd.Env = append(cmd.Env, "SANCTUARY_TEST_KILL_AT="+step)
			if err := cmd.Run(); !killedBySignal(err) {
				t.Fatalf("the child was not killed at %s: %v", step, err)
			}
		}
		// Another process starts: the logged one is there at once.
		if list := s.ok("evidence", "list", "--case", ref); strings.Count(list, "Decision (fictional)") != 1 {
			t.Errorf("evidence list after the crashes:\n%s", list)
		}
		fsck := s.ok("fsck")
		if !strings.Contains(fsck, "vault: 2 objects, 2 items") || !strings.Contains(fsck, "0 interrupted ingests completed, 0 undone") {
			t.Errorf("within the grace period, fsck:\n%s", fsck)
		}
		fsck = s.ok("fsck", "--grace", "0s")
		if !strings.Contains(fsck, "0 interrupted ingests completed, 1 undone") || !strings.Contains(fsck, "ok") {
			t.Errorf("past the grace period, fsck:\n%s", fsck)
		}
		if objs, _ := filepath.Glob(filepath.Join(s.env["SANCTUARY_DATA_DIR"], "vault", "objects", "*", "*.age")); len(objs) != 1 {
			t.Errorf("objects %v, want the completed item's", objs)
		}
	})
}

// TestMulti_SecondDataDirIsRefused starts a second instance against the
// PostgreSQL database of a first, with a data directory of its own (and
// so a custody log of its own), as two machines given one database
// would: it is refused with a message that says why and what to do, it
// writes no custody record, and the first keeps working.
func TestMulti_SecondDataDirIsRefused(t *testing.T) {
	url := storetest.PostgresSchemaURL(t)
	first := newSanctuary(t, url)
	ref := strings.TrimSpace(first.ok("case", "new", "--given", "Pavel"))
	first.ok("evidence", "add", "--case", ref, "--title", "Decision (fictional)", addDoc(t, "fictional decision"))
	firstDir := first.env["SANCTUARY_DATA_DIR"]
	firstOrigin := originIn(t, firstDir)
	before := custodyRecords(t, url)

	// A new, empty data directory: no log key is made for it.
	second := &sanctuary{t: t, env: maps.Clone(first.env)}
	secondDir := filepath.Join(t.TempDir(), "data")
	second.env["SANCTUARY_DATA_DIR"] = secondDir
	second.env["SANCTUARY_VAULT_KEY_FILE"] = filepath.Join(firstDir, "vault.key")
	r := second.run("", "evidence", "list", "--case", ref)
	for _, want := range []string{firstOrigin, secondDir, "has no custody log key", "SANCTUARY_LOG_KEY_FILE", "another database"} {
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Fatalf("the second instance's start: exit %d, %s; want a refusal that says %q", r.code, r.stderr, want)
		}
	}
	if _, err := os.Stat(filepath.Join(secondDir, "custody.key")); !os.IsNotExist(err) {
		t.Errorf("the refused start made a log key: %v", err)
	}

	// A data directory with a log of its own (used before with its own
	// SQLite database).
	delete(second.env, "SANCTUARY_DATABASE_URL")
	delete(second.env, "SANCTUARY_ACTOR") // its own database has no accounts
	second.ok("fsck")
	second.env["SANCTUARY_DATABASE_URL"] = url
	second.env["SANCTUARY_ACTOR"] = tester
	secondOrigin := originIn(t, secondDir)
	for _, args := range [][]string{{"evidence", "list", "--case", ref},
		{"evidence", "add", "--case", ref, "--title", "Other (fictional)", addDoc(t, "fictional other")}, {"fsck"}} {
		r := second.run("", args...)
		for _, want := range []string{firstOrigin, secondOrigin, filepath.Join(secondDir, "custody"), "SANCTUARY_LOG_KEY_FILE", "another database"} {
			if r.code == 0 || !strings.Contains(r.stderr, want) {
				t.Fatalf("sanctuary %s in the second instance: exit %d, %s; want a refusal that says %q", args[0], r.code, r.stderr, want)
			}
		}
	}
	if after := custodyRecords(t, url); !reflect.DeepEqual(before, after) {
		t.Errorf("the refused instance changed the custody records:\nbefore %v\nafter  %v", before, after)
	}

	// The first instance carries on.
	first.ok("evidence", "add", "--case", ref, "--title", "Later (fictional)", addDoc(t, "fictional, later"))
	bundle := filepath.Join(t.TempDir(), "bundle.zip")
	first.ok("evidence", "export", "--case", ref, "--out", bundle)
	if v := first.run("", "verify", "-vkey", logVKey(t, firstDir), bundle); v.code != 0 || !strings.Contains(v.stdout, "RESULT: VERIFIED: all 2 items") {
		t.Errorf("verify: %d\n%s%s", v.code, v.stdout, v.stderr)
	}
	if fsck := first.ok("fsck", "--deep"); !strings.Contains(fsck, "ok") {
		t.Errorf("fsck of the first instance:\n%s", fsck)
	}
}

// TestMulti_ExistingLogMeetsANewDatabase starts an instance whose custody
// log holds entries against a database that has recorded none (a wrong
// SANCTUARY_DATABASE_URL): refused, nothing recorded.
func TestMulti_ExistingLogMeetsANewDatabase(t *testing.T) {
	s := newSanctuary(t, storetest.PostgresSchemaURL(t))
	ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
	s.ok("evidence", "add", "--case", ref, "--title", "Decision (fictional)", addDoc(t, "fictional decision"))
	fresh := storetest.PostgresSchemaURL(t)
	s.env["SANCTUARY_DATABASE_URL"] = fresh
	s.fails(4, "SANCTUARY_DATABASE_URL", "fsck")
	if rows := custodyRecords(t, fresh); len(rows["custody_state"]) != 0 {
		t.Errorf("the refusal recorded %v", rows)
	}
}

// originIn returns the origin of the custody log key in a data directory.
func originIn(t *testing.T, dir string) string {
	t.Helper()
	k, err := custody.LoadKeyFile(filepath.Join(dir, "custody.key"))
	if err != nil {
		t.Fatal(err)
	}
	return k.Origin()
}

// custodyRecords reads every row of the custody tables, as text.
func custodyRecords(t *testing.T, url string) map[string][]string {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	out := map[string][]string{}
	for _, table := range []string{"custody_events", "custody_state"} {
		rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

// TestDataDir_CustodyIsPrivate checks the modes in a data directory after
// the first ingest, when Tessera has made the log's tiles: nothing in it
// is open to anyone but its owner.
func TestDataDir_CustodyIsPrivate(t *testing.T) {
	s := newSanctuary(t, "")
	ref := strings.TrimSpace(s.ok("case", "new", "--given", "Pavel"))
	s.ok("evidence", "add", "--case", ref, "--title", "Decision (fictional)", addDoc(t, "fictional decision"))
	dir := s.env["SANCTUARY_DATA_DIR"]
	var tiles int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
		if strings.Contains(p, filepath.Join("custody", "tile")) {
			tiles++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tiles == 0 {
		t.Fatal("the log made no tiles: the test sees nothing of what the first append creates")
	}
}
