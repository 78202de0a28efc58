package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// uploader streams documents into random live cases.
func (l *load) uploader(ctx context.Context, rng *rand.Rand) {
	for ctx.Err() == nil && !l.down() {
		cr := pick(rng, l.c.rec.live())
		u := l.c.newUpload(rng, "api")
		up := &upload{meta: evidenceMeta{Title: u.title, Kind: "other"}, doc: u.doc, rate: l.c.cfg.rate}
		k := l.trig.begin("upload")
		up.progress = func(sent int64) { l.trig.progress(k, sent, u.size) }
		l.fly("upload", 1)
		r, err := l.c.api.upload(ctx, cr.ref, up)
		l.fly("upload", -1)
		u.whole = up.whole.Load()
		switch l.outcome(ctx, "upload", cr, r, err, http.StatusCreated) {
		case acked:
			var it evidenceItem
			if err := json.Unmarshal(r.body, &it); err != nil {
				l.c.st.fail("kill %d: upload to %s: undecodable answer %v", l.n, cr.ref, r)
			} else if err := l.c.rec.ackItem(cr, it, u); err != nil {
				l.c.st.fail("kill %d: %v", l.n, err)
			}
			l.c.st.ack("upload")
		case unknown:
			l.c.rec.unknownUpload(cr, u)
		}
		think(ctx, rng)
	}
}

// custodian downloads, views, edits and exports acknowledged items;
// worker i of k edits only the items whose id is i modulo k, so that every
// item's edits come one after another.
func (l *load) custodian(ctx context.Context, rng *rand.Rand, i, k int) {
	for ctx.Err() == nil && !l.down() {
		cr, it := l.c.rec.pickItem(rng)
		if it == nil {
			think(ctx, rng)
			continue
		}
		op := []string{"download", "download", "download", "view", "view", "view", "edit", "edit", "export"}[rng.IntN(9)]
		if op == "edit" && (l.noEdits || int(it.id)%k != i) {
			op = "view"
		}
		l.trig.begin(op)
		l.fly(op, 1)
		switch op {
		case "download", "view":
			l.read(ctx, cr, it, op)
		case "edit":
			l.edit(ctx, cr, it)
		case "export":
			r, err := l.c.api.call(ctx, http.MethodPost, "/api/v1/cases/"+cr.ref+"/evidence/export", map[string]any{"items": []int64{it.id}})
			if l.outcome(ctx, "export", cr, r, err, http.StatusOK) != acked {
				break
			}
			if _, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body))); err != nil {
				// an answer that ends cleanly with a broken bundle: the client cannot tell
				l.c.st.fail("kill %d: export of %s item %d: 200 and a complete answer, but not a zip (%v): a truncated bundle", l.n, cr.ref, it.id, err)
				break
			}
			l.c.rec.ackEvent(it, "export")
			l.c.st.ack("export")
		}
		l.fly(op, -1)
		think(ctx, rng)
	}
}

// read downloads an item whole, or views its first KiB (a range
// request, as a browser's player makes); the bytes must be the document's.
func (l *load) read(ctx context.Context, cr *caseRec, it *itemRec, op string) {
	path, rng, want, status := l.c.contentPath(cr, it), "", it.sha, http.StatusOK
	if op == "view" {
		path, rng, want, status = path+"?inline=1", "bytes=0-1023", it.doc.prefixSHA256(1024), http.StatusPartialContent
	}
	code, sum, _, err := l.c.api.download(ctx, path, rng)
	if l.outcome(ctx, op, cr, reply{status: code}, err, status) != acked {
		return
	}
	if sum != want {
		l.c.st.fail("kill %d: %s of %s item %d: the bytes are not the document's (sha256 %.12s, want %.12s)", l.n, op, cr.ref, it.id, sum, want)
	}
	l.c.rec.ackEvent(it, op)
	l.c.st.ack(op)
}

func (l *load) edit(ctx context.Context, cr *caseRec, it *itemRec) {
	title := "campaign title " + itoa(l.c.gen.Add(1)) + " (fictional)"
	r, err := l.c.api.call(ctx, http.MethodPatch, "/api/v1/cases/"+cr.ref+"/evidence/"+itoa(it.id), evidenceMeta{Title: title, Kind: "other"})
	switch l.outcome(ctx, "edit", cr, r, err, http.StatusOK) {
	case acked:
		l.c.rec.edit(it, title, true)
		l.c.st.ack("edit")
	case unknown:
		l.c.rec.edit(it, title, false)
	}
}

// factWriter writes the API's facts of the live cases whose position is
// i modulo k: one fact alone (set, or cleared), or two in one request.
func (l *load) factWriter(ctx context.Context, rng *rand.Rand, i, k int) {
	for ctx.Err() == nil && !l.down() {
		var mine []*caseRec
		for j, cr := range l.c.rec.live() {
			if j%k == i {
				mine = append(mine, cr)
			}
		}
		if len(mine) == 0 {
			return
		}
		cr := pick(rng, mine)
		g := l.c.gen.Add(1)
		base := "/api/v1/cases/" + cr.ref + "/facts"
		var slot, value string
		var r reply
		var err error
		want := []int{http.StatusOK}
		l.trig.begin("fact")
		l.fly("fact", 1)
		switch n := rng.IntN(8); {
		case n == 0:
			slot, want = "api", []int{http.StatusNoContent, http.StatusNotFound}
			r, err = l.c.api.call(ctx, http.MethodDelete, base+"/summons_posted_date", nil)
		case n < 4:
			slot, value = "api", date(g)
			r, err = l.c.api.call(ctx, http.MethodPut, base+"/summons_posted_date", map[string]any{"value": value, "source": "statement"})
		default:
			slot, value = "group", "campaign-"+itoa(g)+"|"+date(g)
			r, err = l.c.api.call(ctx, http.MethodPost, base, map[string]any{"facts": []map[string]any{
				{"name": "military_specialty", "value": "campaign-" + itoa(g), "source": "statement"},
				{"name": "departure_date", "value": date(g), "source": "statement"}}})
		}
		l.fly("fact", -1)
		switch l.outcome(ctx, "fact write", cr, r, err, want...) {
		case acked:
			l.c.rec.fact(cr, slot, value, true)
			l.c.st.ack("fact write")
		case unknown:
			l.c.rec.fact(cr, slot, value, false)
		}
		think(ctx, rng)
	}
}

// assessor keeps assessments of random live cases.
func (l *load) assessor(ctx context.Context, rng *rand.Rand) {
	for ctx.Err() == nil && !l.down() {
		cr := pick(rng, l.c.rec.live())
		l.trig.begin("assess")
		l.fly("assess", 1)
		r, err := l.c.api.call(ctx, http.MethodPost, "/api/v1/cases/"+cr.ref+"/assessments", map[string]any{})
		l.fly("assess", -1)
		if l.outcome(ctx, "assessment", cr, r, err, http.StatusCreated) == acked {
			var a struct{ ID int64 }
			if json.Unmarshal(r.body, &a) != nil || a.ID == 0 {
				l.c.st.fail("kill %d: assessment of %s: answer without an id: %v", l.n, cr.ref, r)
			}
			l.c.rec.keep(cr, a.ID)
			l.c.st.ack("assessment")
		}
		sleep(ctx, 50*time.Millisecond+time.Duration(rng.IntN(200))*time.Millisecond)
	}
}

func (c *campaign) contentPath(cr *caseRec, it *itemRec) string {
	return "/api/v1/cases/" + cr.ref + "/evidence/" + itoa(it.id) + "/content"
}

func pick[T any](rng *rand.Rand, s []T) T {
	return s[rng.IntN(len(s))]
}

func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }
