package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"
)

// session is one person working: in a browser (web, signed in) or with an
// API token (api).
type session struct {
	s     *soak
	email string
	web   *http.Client
	api   *client
	cases []string
	items map[string][]int64  // items seen, by case
	pages map[string]casePage // web: what the last case page offered
}

// casePage is what a session keeps of a case page: the form token and
// where the upload form posts.
type casePage struct {
	csrf   string
	upload string
}

// loop acts until ctx is done: mostly reads, some fact writes, a few
// uploads, with a pause between actions. Requests run to their end with
// context.WithoutCancel, so that the end of the run is not counted as
// an error.
func (ses *session) loop(ctx context.Context, rng *rand.Rand) {
	rctx := context.WithoutCancel(ctx)
	for {
		sleep(ctx, time.Duration(rng.Int64N(int64(2*ses.s.cfg.think)+1)))
		if ctx.Err() != nil {
			return
		}
		ref := pick(rng, ses.cases)
		switch x := rng.Float64(); {
		case x < ses.s.cfg.uploadShare:
			ses.upload(rctx, rng, ref)
		case x < ses.s.cfg.uploadShare+ses.s.cfg.writeShare:
			ses.writeFact(rctx, rng, ref)
		case ses.web != nil:
			ses.readPage(rctx, rng, ref)
		default:
			ses.readAPI(rctx, rng, ref)
		}
	}
}

var (
	csrfInput   = regexp.MustCompile(`name="csrf" value="([^"]*)"`)
	uploadForm  = regexp.MustCompile(`<form method="post" action="([^"]*/evidence[^"]*)" enctype="multipart/form-data"`)
	evidenceRef = regexp.MustCompile(`/cases/[A-Z0-9-]+/evidence/([0-9]+)"`)
)

// readPage opens one of the staff pages.
func (ses *session) readPage(ctx context.Context, rng *rand.Rand, ref string) {
	base := ses.s.srv.base
	switch n := rng.IntN(10); {
	case n < 2:
		ses.page(ctx, "page: dashboard", base+"/dashboard")
	case n < 3:
		ses.page(ctx, "page: case list", base+"/cases")
	case n < 6:
		ses.casePage(ctx, ref, "")
	case n < 7:
		ses.casePage(ctx, ref, "?as_of=2024-06-01&compare_with=2023-01-01")
	default:
		if ids := ses.items[ref]; len(ids) > 0 {
			ses.page(ctx, "page: evidence item", base+"/cases/"+ref+"/evidence/"+itoa(pick(rng, ids)))
		} else {
			ses.casePage(ctx, ref, "")
		}
	}
}

func (ses *session) page(ctx context.Context, action, u string) (reply, bool) {
	start := time.Now()
	r, err := get(ctx, ses.web, u)
	return r, ses.s.tally.record(action, time.Since(start), r, err, http.StatusOK)
}

// casePage opens the case page and keeps its form token, its upload
// form and its items.
func (ses *session) casePage(ctx context.Context, ref, query string) bool {
	action := "page: case"
	if query != "" {
		action = "page: case, assessment compared"
	}
	r, ok := ses.page(ctx, action, ses.s.srv.base+"/cases/"+ref+query)
	if !ok {
		return false
	}
	var p casePage
	if m := csrfInput.FindSubmatch(r.body); m != nil {
		p.csrf = html.UnescapeString(string(m[1]))
	}
	if m := uploadForm.FindSubmatch(r.body); m != nil {
		p.upload = html.UnescapeString(string(m[1]))
	}
	ses.pages[ref] = p
	var ids []int64
	for _, m := range evidenceRef.FindAllSubmatch(r.body, -1) {
		id, _ := strconv.ParseInt(string(m[1]), 10, 64)
		ids = append(ids, id)
	}
	ses.items[ref] = ids
	return true
}

// readAPI reads one of the API's case resources.
func (ses *session) readAPI(ctx context.Context, rng *rand.Rand, ref string) {
	base := "/api/v1/cases/" + ref
	paths := []struct{ action, path string }{
		{"api: case", base}, {"api: facts", base + "/facts"}, {"api: evidence list", base + "/evidence"},
		{"api: latest assessment", base + "/assessments/latest"},
		{"api: assessment preview, compared", base + "/assessments/preview?as_of=2024-06-01&compare_with=2023-01-01"},
		{"api: timeline", base + "/timeline?limit=50"}}
	p := pick(rng, paths)
	if ids := ses.items[ref]; len(ids) > 0 && rng.IntN(8) == 0 {
		p.action, p.path = "api: download", base+"/evidence/"+itoa(pick(rng, ids))+"/content"
	}
	start := time.Now()
	r, err := ses.api.call(ctx, http.MethodGet, p.path, nil)
	if ses.s.tally.record(p.action, time.Since(start), r, err, http.StatusOK) && p.action == "api: evidence list" {
		ses.items[ref] = ses.items[ref][:0]
		for _, m := range itemID.FindAllSubmatch(r.body, -1) {
			id, _ := strconv.ParseInt(string(m[1]), 10, 64)
			ses.items[ref] = append(ses.items[ref], id)
		}
	}
}

var itemID = regexp.MustCompile(`\{"id":([0-9]+)`)

// writeFact records the military specialty or the departure date.
func (ses *session) writeFact(ctx context.Context, rng *rand.Rand, ref string) {
	name, value := "military_specialty", fmt.Sprintf("specialty %d (fictional)", rng.IntN(1000))
	if rng.IntN(2) == 0 {
		name, value = "departure_date", time.Date(2022, 9, 1+rng.IntN(60), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	start := time.Now()
	if ses.api != nil {
		r, err := ses.api.call(ctx, http.MethodPut, "/api/v1/cases/"+ref+"/facts/"+name, map[string]any{"value": value, "source": "statement"})
		ses.s.tally.record("api: fact write", time.Since(start), r, err, http.StatusOK)
		return
	}
	p, ok := ses.pages[ref]
	if !ok || p.csrf == "" {
		if !ses.casePage(ctx, ref, "") {
			return
		}
		p, start = ses.pages[ref], time.Now()
	}
	form := url.Values{"csrf": {p.csrf}, "name": {name}, "f_" + name: {value}, "source": {"statement"}}
	r, err := post(ctx, ses.web, ses.s.srv.base+"/cases/"+ref+"/facts", form)
	ses.s.tally.record("page: fact write", time.Since(start), r, err, http.StatusSeeOther)
}

// upload sends a document: through the API, or through the case page's
// upload form as a browser without JavaScript does.
func (ses *session) upload(ctx context.Context, rng *rand.Rand, ref string) {
	up := ses.s.newUpload(rng)
	start := time.Now()
	if ses.api != nil {
		r, err := ses.api.upload(ctx, ref, up)
		ses.s.tally.record("api: upload", time.Since(start), r, err, http.StatusCreated)
		return
	}
	p, ok := ses.pages[ref]
	if !ok || p.upload == "" {
		if !ses.casePage(ctx, ref, "") {
			return
		}
		p, start = ses.pages[ref], time.Now()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range [][2]string{{"title", up.meta.Title}, {"kind", up.meta.Kind}, {"obtained_from", ""}, {"document_date", ""}} {
		mw.WriteField(f[0], f[1]) // as a browser sends the form: every field, in order
	}
	w, _ := mw.CreateFormFile("file", "document.bin")
	up.doc.copyTo(w, 0, nil)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ses.s.srv.base+p.upload, &body)
	if err != nil {
		ses.s.tally.record("page: upload", 0, reply{}, err)
		return
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r, err := do(ses.web, req)
	ses.s.tally.record("page: upload", time.Since(start), r, err, http.StatusSeeOther)
}
