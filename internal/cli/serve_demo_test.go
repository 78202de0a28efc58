package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/cli"
	"github.com/sanctuary-platform/sanctuary/internal/demo"
)

// TestServe_DemoRefusesRealData gives --demo a data directory (as a flag
// and as an environment variable) and a database: each is refused before
// anything is written, and the directory holds only what it held.
func TestServe_DemoRefusesRealData(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "MARKER"), []byte("real data\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &sanctuary{t: t, env: map[string]string{"SANCTUARY_LOG_LEVEL": "warn"}}
	s.fails(2, "data-dir: is given (flag --data-dir)", "serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir", dir)
	s.env["SANCTUARY_DATA_DIR"] = dir
	s.fails(2, "data-dir: is given (env SANCTUARY_DATA_DIR)", "serve", "--demo", "--listen", "127.0.0.1:0")
	s.env = map[string]string{"SANCTUARY_DATABASE_URL": "postgres://demo@127.0.0.1:1/real"}
	s.fails(2, "--demo never touches real data", "serve", "--demo", "--listen", "127.0.0.1:0")
	s.fails(2, "database: is given (env SANCTUARY_DATABASE_URL)", "serve", "--demo", "--listen", "127.0.0.1:0")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "MARKER" {
		t.Errorf("the data directory holds %v (%v), want only MARKER", entries, err)
	}
}

// TestServe_Demo runs serve --demo: it prints the demo login, serves the
// sign-in page, lets the demo lawyer in with the printed password and
// recovery code and shows them the three cases, opens the client's
// invitation, and on stop removes its temporary directory. The default
// data directory is never made.
func TestServe_Demo(t *testing.T) {
	_, err := os.Stat("sanctuary-data")
	hadDefault := err == nil
	var stderr lockedBuffer
	out, stop := startDemo(t, &stderr)
	dir := match(t, out, `(?m)deleted when the server stops:\n  (\S+)\n`)
	if db := match(t, out, `database: sqlite (\S+)\)`); db != filepath.Join(dir, "sanctuary.db") {
		t.Errorf("serving from %s, not from the demo directory %s", db, dir)
	}
	base := match(t, out, `Sign in at (http://localhost:[0-9]+)/login `)
	if _, err := os.Stat(filepath.Join(dir, "sanctuary.db")); err != nil {
		t.Fatalf("the demo database is not in %s: %v", dir, err)
	}
	waitHealthy(t, http.DefaultClient, base)
	b := &demoBrowser{t: t, base: base}
	if res := b.get("/login"); res != http.StatusOK {
		t.Errorf("GET /login: %d", res)
	}
	b.signIn(match(t, out, `email +(\S+)`), match(t, out, `password +(\S+)`), match(t, out, `recovery code +(\S+)`))
	if res := b.get("/account"); res != http.StatusOK {
		t.Errorf("GET /account after sign-in: %d", res)
	}
	refs := regexp.MustCompile(`(?m)^  (SN-[0-9]{4}-[0-9]{4})  `).FindAllStringSubmatch(out, -1)
	if len(refs) != 3 {
		t.Errorf("%d cases printed, want 3:\n%s", len(refs), out)
	}
	for _, m := range refs {
		if res := b.get("/cases/" + m[1]); res != http.StatusOK {
			t.Errorf("GET /cases/%s: %d", m[1], res)
		}
	}
	invite := match(t, out, `(?m)^  http://localhost:[0-9]+(/invite/sni_\S+)$`)
	client := &demoBrowser{t: t, base: base}
	client.get(invite)
	if res := client.post(invite, nil); res.StatusCode != http.StatusSeeOther || client.get("/client") != http.StatusOK {
		t.Errorf("the invitation: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	stop()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the demo directory %s is still there after stop: %v", dir, err)
	}
	if _, err := os.Stat("sanctuary-data"); !hadDefault && err == nil {
		t.Error("serve --demo made ./sanctuary-data")
	}
	if strings.Contains(stderr.String(), "VAULT KEY") {
		t.Errorf("the demo announced a vault key to back up:\n%s", stderr.String())
	}
}

// startDemo runs serve --demo on a free port and returns what it printed
// up to the end of the demo login, and a function that stops it and waits.
func startDemo(t *testing.T, stderr io.Writer) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		getenv := func(k string) string { return map[string]string{"SANCTUARY_LOG_LEVEL": "warn"}[k] }
		done <- cli.Main(ctx, []string{"serve", "--demo", "--listen", "127.0.0.1:0"}, getenv, strings.NewReader(""), pw, stderr)
		pw.Close()
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve --demo exited %d after cancel, want 0", code)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve --demo did not stop")
		}
	}
	t.Cleanup(stop)
	var out strings.Builder
	r := bufio.NewReader(pr)
	for !strings.Contains(out.String(), "Stop with Ctrl-C") {
		line, err := r.ReadString('\n')
		out.WriteString(line)
		if err != nil {
			t.Fatalf("serve --demo stopped printing: %v\n%s", err, out.String())
		}
	}
	go io.Copy(io.Discard, r)
	if !strings.Contains(out.String(), demo.Lawyer) {
		t.Fatalf("no demo login printed:\n%s", out.String())
	}
	return out.String(), stop
}

func match(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not in:\n%s", re, s)
	}
	return m[1]
}

// demoBrowser keeps cookies and does not follow redirects.
type demoBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (b *demoBrowser) client() *http.Client {
	if b.c == nil {
		jar, _ := cookiejar.New(nil)
		b.c = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return b.c
}

func (b *demoBrowser) get(path string) int {
	b.t.Helper()
	res, err := b.client().Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// post posts a form with the pre-session token of the browser's cookie,
// as the pages' forms before a sign-in carry it.
func (b *demoBrowser) post(path string, form url.Values) *http.Response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	u, _ := url.Parse(b.base)
	for _, c := range b.client().Jar.Cookies(u) {
		if c.Name == "sanctuary-csrf" && !form.Has("csrf") {
			form.Set("csrf", c.Value)
		}
	}
	res, err := b.client().PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// signIn gives the password, then the recovery code as second factor.
func (b *demoBrowser) signIn(email, password, code string) {
	b.t.Helper()
	res := b.post("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/second-factor" {
		b.t.Fatalf("password: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = b.post("/login/recovery", url.Values{"code": {code}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		b.t.Fatalf("recovery code: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// lockedBuffer is a buffer the server's goroutines may write to while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
