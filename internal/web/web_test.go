package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/web"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// client drives a real HTTP server over a real database.
type client struct {
	t   *testing.T
	srv *httptest.Server
}

func newClient(t *testing.T, db *store.DB) *client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log)
	srv := httptest.NewServer(web.NewHandler(a, log))
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv}
}

// defaultPack is the knowledge pack built into Sanctuary, loaded once.
var defaultPack = sync.OnceValues(knowledge.Load)

func mustPack(t testing.TB) *rules.Pack {
	t.Helper()
	p, err := defaultPack()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// errorBody is the one error shape of the API.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (c *client) do(method, path, contentType string, body io.Reader) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set(web.ActorHeader, "caseworker:web-test")
	res, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

func (c *client) json(method, path string, body any) response {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			r = strings.NewReader(b)
		default:
			raw, err := json.Marshal(b)
			if err != nil {
				c.t.Fatal(err)
			}
			r = bytes.NewReader(raw)
		}
	}
	return c.do(method, path, "application/json", r)
}

// ok checks the status and decodes the body into v.
func (c *client) ok(r response, status int, v any) {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			c.t.Fatalf("decode %s: %v", r.body, err)
		}
	}
}

func (c *client) createCase() casefile.Case {
	c.t.Helper()
	var cs casefile.Case
	c.ok(c.json("POST", "/api/v1/cases", map[string]any{
		"person": map[string]any{
			"name_latin":    map[string]string{"family": "Sokolov", "given": "Artyom"},
			"name_cyrillic": map[string]string{"family": "Соколов", "given": "Артём"},
			"birth_date":    "1998-07-02",
			"citizenships":  []string{"RU"},
			"languages":     []string{"ru"},
		},
		"destinations": []string{"DE", "FR"},
		"assignees":    []string{"Jana P."},
	}), http.StatusCreated, &cs)
	return cs
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
