package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// An upload is stored whole or not at all. Each test sends the three
// upload forms (the API, the case page, the client's page) as raw HTTP
// over a socket, cut short in one way, and checks the answer and that
// nothing was left: no item of the case (committed or pending), no
// custody entry, no object and no temporary file in the vault.

// uploadSite is a server with evidence whose vault directory the test
// can look into, and the credentials of the three upload forms.
type uploadSite struct {
	db     *store.DB
	a      *app.App
	ev     *app.Evidence
	vault  string
	srv    *httptest.Server
	ref    string
	caseID int64
	lines  *statusLines
	// the three ways in
	token, staffSession, staffCSRF, clientSession, clientCSRF string
}

// statusLines keeps the status of every request the server logged, so a
// test whose client hung up can still see what the server answered.
type statusLines struct {
	mu    sync.Mutex
	lines []string // "route status"
}

func (s *statusLines) Enabled(context.Context, slog.Level) bool { return true }
func (s *statusLines) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *statusLines) WithGroup(string) slog.Handler            { return s }
func (s *statusLines) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "http" {
		return nil
	}
	var route, status string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "route":
			route = a.Value.String()
		case "status":
			status = a.Value.String()
		}
		return true
	})
	s.mu.Lock()
	s.lines = append(s.lines, route+" "+status)
	s.mu.Unlock()
	return nil
}

// wait returns the status the server logged for the route's next request.
func (s *statusLines) wait(t *testing.T, route string, seen int) string {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		s.mu.Lock()
		n := 0
		for _, l := range s.lines {
			if r, status := splitLine(l); r == route {
				if n == seen {
					s.mu.Unlock()
					return status
				}
				n++
			}
		}
		s.mu.Unlock()
	}
	t.Fatalf("the server logged no answer to %s: %q", route, s.lines)
	return ""
}

func splitLine(l string) (route, status string) {
	i := strings.LastIndexByte(l, ' ')
	return l[:i], l[i+1:]
}

func (s *statusLines) count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.lines {
		if r, _ := splitLine(l); r == route {
			n++
		}
	}
	return n
}

func newUploadSite(t *testing.T, db *store.DB) *uploadSite {
	t.Helper()
	dir := t.TempDir()
	st, err := vault.OpenStore(filepath.Join(dir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	vk, _ := vault.CreateKeyFile(filepath.Join(dir, "vault.key"))
	lk, _ := custody.CreateKeyFile(filepath.Join(dir, "custody.key"))
	lg, err := ledger.Open(filepath.Join(dir, "custody"), lk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	ev := &app.Evidence{Store: st, Key: vk, Custody: lg}
	lines := &statusLines{}
	log := slog.New(lines)
	a := app.New(db, mustPack(t), log, app.WithEvidence(ev))
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	a.SetPublicURL(srv.URL)
	s := &uploadSite{db: db, a: a, ev: ev, vault: filepath.Join(dir, "vault"), srv: srv, lines: lines}
	s.token = staffToken(t, db, a, lena, sanctuary.RoleCaseworker)
	c := (&client{t: t, srv: srv, token: s.token}).createCase()
	s.ref = c.Reference
	err = db.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.CaseByReference(context.Background(), s.ref)
		s.caseID = c.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.staffSession, s.staffCSRF = staffSession(t, db, lena)
	ctx := sanctuary.WithPrincipal(context.Background(), sanctuary.Principal{Role: sanctuary.RoleCaseworker,
		UserID: userID(t, db, lena), Email: lena, Via: "test"})
	_, inv, err := a.InviteClient(ctx, s.ref, "ru", 0)
	if err != nil {
		t.Fatal(err)
	}
	in, err := a.OpenInvitation(context.Background(), inv, "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	s.clientSession = in.Token
	if _, s.clientCSRF, err = a.Authenticate(context.Background(), in.Token); err != nil {
		t.Fatal(err)
	}
	return s
}

func userID(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	var id int64
	err := db.View(context.Background(), func(tx *store.Tx) error {
		u, err := tx.UserByEmail(context.Background(), email)
		id = u.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// staffSession opens a full browser session of the account directly in
// the store (the sign-in pages are tested elsewhere).
func staffSession(t *testing.T, db *store.DB, email string) (token, csrf string) {
	t.Helper()
	token, hash := account.NewToken(account.PrefixSession)
	csrf = fmt.Sprintf("%x", []byte(token[5:21]))
	s := store.Session{TokenHash: hash, UserID: userID(t, db, email), Stage: store.StageFull, CSRFToken: csrf,
		ExpiresAt: time.Now().Add(time.Hour)}
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertSession(ctx, &s) }); err != nil {
		t.Fatal(err)
	}
	return token, csrf
}

// form is one of the three upload forms: where it posts, how it
// authenticates, and the parts before the file.
type uploadForm struct {
	name, route, path string
	header            string // credentials, as header lines
	fields            string // the parts before the file
}

const boundary = "sanctuary-test-boundary"

func (s *uploadSite) forms() []uploadForm {
	part := func(name, value string) string {
		return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
	}
	return []uploadForm{
		{"API", "POST /api/v1/cases/{ref}/evidence", "/api/v1/cases/" + s.ref + "/evidence",
			"Authorization: Bearer " + s.token + "\r\n",
			part("meta", `{"title":"Summons (fictional)","kind":"summons"}`)},
		{"case page", "POST /cases/{ref}/evidence", "/cases/" + s.ref + "/evidence?csrf=" + s.staffCSRF,
			"Cookie: sanctuary=" + s.staffSession + "\r\nOrigin: " + s.srv.URL + "\r\n",
			part("title", "Summons (fictional)") + part("kind", "summons")},
		{"client page", "POST /client/evidence", "/client/evidence?csrf=" + s.clientCSRF,
			"Cookie: sanctuary=" + s.clientSession + "\r\nOrigin: " + s.srv.URL + "\r\n",
			part("title", "My summons (fictional)")},
	}
}

// fileHead starts the file part; what follows is the document.
const fileHead = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"summons.txt\"\r\n" +
	"Content-Type: text/plain\r\n\r\n"

// document is the fictional document each upload carries (or part of).
var document = strings.Repeat("Повестка (fictional): report to the recruitment office. ", 40000) // ~2.5 MB

// cut says how an upload is cut short.
type cut struct {
	name string
	// body is what the client sends after the fields.
	body string
	// length is the Content-Length sent; 0: the body's own; -1: chunked.
	length int
	// end is what the client does once it has sent the body: keep the
	// connection open and wait for the answer (keep), close its sending
	// side and wait (half), or close the whole connection, never reading
	// an answer (drop).
	end string
}

func cuts() []cut {
	half := document[:len(document)/2]
	return []cut{
		{name: "NoClosingBoundary", body: fileHead + document, end: "keep"},
		{name: "DelimiterWithoutFinalDashes", body: fileHead + document + "\r\n--" + boundary, end: "keep"},
		{name: "PartAfterFile", body: fileHead + document + "\r\n--" + boundary +
			"\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\nmore\r\n--" + boundary + "--\r\n", end: "keep"},
		{name: "TruncatedMidFile", body: fileHead + half, length: len(fileHead) + len(document) + 40, end: "half"},
		{name: "ChunkedCutMidFile", body: fileHead + half, length: -1, end: "half"},
		{name: "ConnectionDropped", body: fileHead + half, length: len(fileHead) + len(document) + 40, end: "drop"},
	}
}

// send writes the request over a socket of its own, cut as told, and
// returns the status the client read ("" when it hung up) and the one the
// server logged.
func (s *uploadSite) send(t *testing.T, f uploadForm, c cut) (read, logged string) {
	t.Helper()
	seen := s.lines.count(f.route)
	conn, err := net.Dial("tcp", s.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := f.fields + c.body
	head := "POST " + f.path + " HTTP/1.1\r\nHost: " + s.srv.Listener.Addr().String() + "\r\n" + f.header +
		"Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
	switch {
	case c.length == -1:
		head += "Transfer-Encoding: chunked\r\n\r\n"
		body = fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s", len(body), body, 1<<20, "the rest never comes")
	case c.length > 0:
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(f.fields)+c.length)
	default:
		head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))
	}
	go func() { // the server may answer before the body is all sent
		io.WriteString(conn, head+body)
		switch c.end {
		case "drop":
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		case "half":
			conn.(*net.TCPConn).CloseWrite()
		}
	}()
	if c.end != "drop" {
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s, %s: no answer: %v", f.name, c.name, err)
		}
		res.Body.Close()
		read = fmt.Sprint(res.StatusCode)
	}
	return read, s.lines.wait(t, f.route, seen)
}

// nothingLeft fails the test if an upload left anything behind.
func (s *uploadSite) nothingLeft(t *testing.T, what string, logSize uint64) {
	t.Helper()
	ctx := context.Background()
	err := s.db.View(ctx, func(tx *store.Tx) error {
		items, err := tx.EvidenceList(ctx, s.caseID)
		if err != nil {
			return err
		}
		if len(items) != 0 {
			t.Errorf("%s: the case has %d items", what, len(items))
		}
		pending, err := tx.PendingEvidence(ctx, time.Now().Add(time.Hour)) // every pending row
		if len(pending) != 0 {
			t.Errorf("%s: %d items are pending", what, len(pending))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.ev.Custody.Size(ctx); err != nil || n != logSize {
		t.Errorf("%s: the custody log holds %d entries (%v), had %d", what, n, err, logSize)
	}
	if objs, err := s.ev.Store.List(); err != nil || len(objs) != 0 {
		t.Errorf("%s: the vault holds %d objects (%v)", what, len(objs), err)
	}
	if tmp, err := os.ReadDir(filepath.Join(s.vault, "tmp")); err != nil || len(tmp) != 0 {
		t.Errorf("%s: the vault's tmp holds %d files (%v)", what, len(tmp), err)
	}
}

func TestUpload_CutShortLeavesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newUploadSite(t, db)
		logSize, err := s.ev.Custody.Size(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range s.forms() {
			for _, c := range cuts() {
				read, logged := s.send(t, f, c)
				what := f.name + ", " + c.name
				if logged != "400" || c.end != "drop" && read != "400" {
					t.Errorf("%s: answered %q (logged %s), want 400", what, read, logged)
				}
				s.nothingLeft(t, what, logSize)
			}
		}
	})
}

// TestUpload_WholeIsStored is the control: the same raw requests, whole,
// are stored, one item each, also when the client closes its side of the
// connection as soon as it has sent the last byte (the server then
// cancels the request's context: a whole upload is stored all the same).
func TestUpload_WholeIsStored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newUploadSite(t, db)
		want := map[string]string{"API": "201", "case page": "303", "client page": "303"}
		for _, end := range []string{"keep", "half"} {
			whole := cut{name: "Whole", body: fileHead + document + "\r\n--" + boundary + "--\r\n", end: end}
			for _, f := range s.forms() {
				if read, logged := s.send(t, f, whole); read != want[f.name] || logged != want[f.name] {
					t.Errorf("%s (%s): a whole upload got %s (logged %s), want %s", f.name, end, read, logged, want[f.name])
				}
			}
		}
		var n int
		db.View(context.Background(), func(tx *store.Tx) error {
			items, err := tx.EvidenceList(context.Background(), s.caseID)
			n = len(items)
			return err
		})
		if n != 6 {
			t.Errorf("six whole uploads made %d items", n)
		}
	})
}
