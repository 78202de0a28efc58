package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/web"
	"github.com/sanctuary-platform/sanctuary/knowledge"
)

// client drives a real HTTP server over a real database, with an API
// token of a staff account.
type client struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

// The staff of the web tests (fictional).
const (
	lena = "lena@ngo.example" // caseworker; the client acts as her
	jana = "jana@ngo.example" // caseworker
	omar = "omar@ngo.example" // lawyer
)

func newClient(t *testing.T, db *store.DB) *client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log)
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv, token: staffToken(t, db, a, lena, sanctuary.RoleCaseworker)}
}

// staffToken makes an active staff account (unless it exists) with the
// test colleagues, and an API token of it with every scope its role uses.
func staffToken(t testing.TB, db *store.DB, a *app.App, email string, role sanctuary.Role) string {
	t.Helper()
	ctx := context.Background()
	var u account.User
	err := db.Update(ctx, func(tx *store.Tx) error {
		for e, r := range map[string]sanctuary.Role{jana: sanctuary.RoleCaseworker, omar: sanctuary.RoleLawyer, email: role} {
			nu := account.User{Email: e, Role: r, Language: "en", Status: account.StatusActive, CreatedBy: "test"}
			if err := tx.InsertUser(ctx, &nu); err != nil && sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
				return err
			}
		}
		var err error
		u, err = tx.UserByEmail(ctx, email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := sanctuary.Principal{Role: u.Role, UserID: u.ID, Email: u.Email, Via: "cli"}
	_, token, err := a.CreateAPIToken(sanctuary.WithPrincipal(ctx, p), app.NewAPIToken{Name: "test", Scopes: app.ScopesFor(role)})
	if err != nil {
		t.Fatal(err)
	}
	return token
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
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
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
		"assignees":    []string{jana},
	}), http.StatusCreated, &cs)
	return cs
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
