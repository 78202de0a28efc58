package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/bundle"
	"github.com/sanctuary-platform/sanctuary/internal/custody"
	"github.com/sanctuary-platform/sanctuary/internal/ledger"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/vault"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// testEvidence is a vault, its key and a custody log in a temporary
// directory.
func testEvidence(tb testing.TB) *app.Evidence {
	tb.Helper()
	dir := tb.TempDir()
	st, _ := vault.OpenStore(filepath.Join(dir, "vault"))
	vk, _ := vault.CreateKeyFile(filepath.Join(dir, "vault.key"))
	lk, _ := custody.CreateKeyFile(filepath.Join(dir, "custody.key"))
	lg, err := ledger.Open(filepath.Join(dir, "custody"), lk)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { lg.Close() })
	return &app.Evidence{Store: st, Key: vk, Custody: lg}
}

func newEvidenceClient(t *testing.T, db *store.DB) *client {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, mustPack(t), log, app.WithEvidence(testEvidence(t)))
	srv := httptest.NewServer(web.NewHandler(a, log, web.Options{}))
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv, token: staffToken(t, db, a, lena, sanctuary.RoleCaseworker)}
}

func upload(t *testing.T, c *client, path, meta, name string, content []byte) response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if meta != "" {
		w, _ := mw.CreateFormField("meta")
		io.WriteString(w, meta)
	}
	if content != nil {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	return c.do("POST", path, mw.FormDataContentType(), &buf)
}

func TestAPI_Evidence(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newEvidenceClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference + "/evidence"
		video := bytes.Repeat([]byte("fictional livestream recording "), 40000)
		var it app.EvidenceView
		c.ok(upload(t, c, base, `{"title":"Livestream of 3 Mar 2022 (fictional)","kind":"video","language":"ru","facts":["activism"]}`,
			"stream.mp4", video), http.StatusCreated, &it)
		if it.Size != int64(len(video)) || it.OriginalName != "stream.mp4" || it.Title == "" {
			t.Fatalf("item %+v", it)
		}
		id := "/" + itoa(it.ID)

		// Range requests, as a video player seeks.
		req, _ := http.NewRequest("GET", c.srv.URL+base+id+"/content?inline=1", nil)
		req.Header.Set("Range", "bytes=100000-100099")
		req.Header.Set("Authorization", "Bearer "+c.token)
		res, err := c.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusPartialContent || !bytes.Equal(part, video[100000:100100]) || !strings.HasPrefix(res.Header.Get("Content-Type"), "video/mp4") {
			t.Errorf("range: %d %q %s", res.StatusCode, res.Header.Get("Content-Range"), res.Header.Get("Content-Type"))
		}
		full := c.json("GET", base+id+"/content", nil)
		if full.status != 200 || !bytes.Equal(full.body, video) || !strings.Contains(full.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d %s", full.status, full.header.Get("Content-Disposition"))
		}
		c.ok(c.json("PATCH", base+id, map[string]any{"title": "Livestream, re-described (fictional)", "kind": "video", "facts": []string{"activism"}}), http.StatusOK, &it)

		var hist struct{ Events []app.CustodyEntry }
		c.ok(c.json("GET", base+id+"/custody", nil), http.StatusOK, &hist)
		var types []string
		for _, e := range hist.Events {
			types = append(types, e.Type)
		}
		if strings.Join(types, ",") != "ingest,view,download,annotate" {
			t.Errorf("custody history %v", types)
		}

		zr := c.json("POST", base+"/export", map[string]any{})
		if zr.status != 200 || zr.header.Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %s", zr.status, zr.body)
		}
		rep, err := bundle.VerifyZip(bytes.NewReader(zr.body), int64(len(zr.body)), bundle.Options{})
		if err != nil || !rep.OK {
			t.Errorf("the exported bundle does not verify: %+v %v", rep, err)
		}
	})
}

func TestAPI_EvidenceBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		c := newEvidenceClient(t, db)
		cs := c.createCase()
		base := "/api/v1/cases/" + cs.Reference + "/evidence"
		for _, tc := range []struct {
			name   string
			r      response
			status int
			field  string
		}{
			{"NotMultipart", c.json("POST", base, `{"title":"x"}`), 415, ""},
			{"NoMeta", upload(t, c, base, "", "a.txt", []byte("x")), 400, "meta"},
			{"MetaNotJSON", upload(t, c, base, "title=x", "a.txt", []byte("x")), 400, ""},
			{"MetaUnknownField", upload(t, c, base, `{"title":"x","kind":"other","colour":"red"}`, "a.txt", []byte("x")), 400, "colour"},
			{"MetaInvalid", upload(t, c, base, `{"title":"","kind":"gossip","facts":["nope"]}`, "a.txt", []byte("x")), 400, "kind"},
			{"NoFile", upload(t, c, base, `{"title":"x","kind":"other"}`, "", nil), 400, "file"},
			{"UnknownCase", upload(t, c, "/api/v1/cases/SN-2026-9999/evidence", `{"title":"x","kind":"other"}`, "a.txt", []byte("x")), 404, ""},
			{"BadID", c.json("GET", base+"/abc", nil), 404, ""},
			{"MissingItem", c.json("GET", base+"/99/content", nil), 404, ""},
			{"ExportNothing", c.json("POST", base+"/export", map[string]any{}), 404, ""},
			{"ExportUnknownItem", c.json("POST", base+"/export", map[string]any{"items": []int{5}}), 404, ""},
		} {
			if tc.r.status != tc.status {
				t.Errorf("%s: status %d, want %d (%s)", tc.name, tc.r.status, tc.status, tc.r.body)
				continue
			}
			var e errorBody
			if err := json.Unmarshal(tc.r.body, &e); err != nil {
				t.Errorf("%s: not the error shape: %s", tc.name, tc.r.body)
			}
			if tc.field != "" && e.Error.Fields[tc.field] == "" {
				t.Errorf("%s: no message for %s: %s", tc.name, tc.field, tc.r.body)
			}
		}
		var list struct{ Evidence []app.EvidenceView }
		c.ok(c.json("GET", base, nil), http.StatusOK, &list)
		if len(list.Evidence) != 0 {
			t.Errorf("refused uploads left %d items", len(list.Evidence))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
