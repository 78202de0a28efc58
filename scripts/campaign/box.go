package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// box is one Sanctuary installation, seen from outside: its binary, its
// data directory and database, and a log of what every process it ran
// said on stderr.
type box struct {
	bin     string
	dir     string // the run's directory: data/, logs, bundles
	dataDir string
	dbURL   string // empty: SQLite in the data directory

	logMu sync.Mutex
	log   *os.File
}

// newBox prepares dir for an installation; the binary is built into it
// from the module unless bin names one.
func newBox(ctx context.Context, dir, bin, dbURL string) (*box, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "processes.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	b := &box{bin: bin, dir: dir, dataDir: filepath.Join(dir, "data"), dbURL: dbURL, log: f}
	if b.bin == "" {
		b.bin = filepath.Join(dir, "sanctuary")
		if err := buildSanctuary(ctx, b.bin); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// repoRoot is the directory of the module this program is in (the
// campaign runs from the repository, with go run).
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run it from Sanctuary's repository (go env GOMOD: %q %v)", mod, err)
	}
	return filepath.Dir(mod), nil
}

// buildSanctuary builds ./cmd/sanctuary of the module this program is in.
func buildSanctuary(ctx context.Context, out string) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/sanctuary")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/sanctuary: %v\n%s", err, b)
	}
	return nil
}

func (b *box) close() { b.log.Close() }

// logf writes a line of the campaign's own to the process log, so that
// the log reads as one story.
func (b *box) logf(format string, a ...any) {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	fmt.Fprintf(b.log, "%s campaign: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, a...))
}

// logWriter prefixes each line a process writes with its name.
func (b *box) logWriter(name string) io.Writer { return &prefixWriter{b: b, name: name} }

type prefixWriter struct {
	b    *box
	name string
	buf  []byte
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.b.logMu.Lock()
	defer w.b.logMu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		fmt.Fprintf(w.b.log, "%s %s: %s\n", time.Now().Format("15:04:05.000"), w.name, w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

// env is the environment of every sanctuary process: the installation's
// settings and nothing of ours.
func (b *box) env(actor string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SANCTUARY_") {
			env = append(env, kv)
		}
	}
	env = append(env, "SANCTUARY_DATA_DIR="+b.dataDir, "SANCTUARY_LOG_LEVEL=warn")
	if b.dbURL != "" {
		env = append(env, "SANCTUARY_DATABASE_URL="+b.dbURL)
	}
	if actor != "" {
		env = append(env, "SANCTUARY_ACTOR="+actor)
	}
	return env
}

// command is "sanctuary args..." acting as actor (none: the operator).
func (b *box) command(actor string, args ...string) *exec.Cmd {
	cmd := exec.Command(b.bin, args...)
	cmd.Env = b.env(actor)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// result is how a command ended.
type result struct {
	stdout, stderr string
	code           int  // exit status; -1 when killed by a signal
	killed         bool // by SIGKILL
	took           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d: %s%s", r.code, strings.TrimSpace(r.stdout), prefixed("\n  stderr: ", r.stderr))
}

func prefixed(p, s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return p + s
}

// run runs a command to its end.
func (b *box) run(ctx context.Context, stdin io.Reader, actor string, args ...string) result {
	cmd := b.command(actor, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(&errb, b.logWriter("sanctuary "+args[0]))
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		b.logf("pid %d: sanctuary %s", cmd.Process.Pid, strings.Join(args, " "))
		stop := context.AfterFunc(ctx, func() { cmd.Process.Signal(syscall.SIGINT) })
		err = cmd.Wait()
		stop()
	}
	return ended(cmd, err, out.String(), errb.String(), time.Since(start))
}

// ended reads how a finished command ended.
func ended(cmd *exec.Cmd, err error, stdout, stderr string, took time.Duration) result {
	r := result{stdout: stdout, stderr: stderr, took: took}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			r.killed = ws.Signal() == syscall.SIGKILL
		}
	default:
		r.code, r.stderr = -1, r.stderr+err.Error()
	}
	return r
}

// must runs a command that has to succeed.
func (b *box) must(ctx context.Context, actor string, args ...string) (string, error) {
	r := b.run(ctx, nil, actor, args...)
	if r.code != 0 {
		return "", fmt.Errorf("sanctuary %s: %v", strings.Join(args, " "), r)
	}
	return r.stdout, nil
}

// logKey is the custody log's public key: the last line of custody.key.
func (b *box) logKey() (string, error) {
	data, err := os.ReadFile(filepath.Join(b.dataDir, "custody.key"))
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}
