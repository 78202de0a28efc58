package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// checkBundles exports every live case's evidence through the API and
// verifies each bundle with "sanctuary verify -vkey": it must be VERIFIED
// against the log's key, hold every item with its acknowledged title and
// bytes, and show exactly the events the item's custody history shows.
func (c *campaign) checkBundles(ctx context.Context, n int) {
	dir := filepath.Join(c.cfg.dir, "bundles")
	os.MkdirAll(dir, 0o700)
	for _, cr := range c.rec.live() {
		if len(c.rec.items(cr)) == 0 || ctx.Err() != nil {
			continue
		}
		r, err := c.api.call(ctx, http.MethodPost, "/api/v1/cases/"+cr.ref+"/evidence/export", map[string]any{})
		if err != nil || r.status != http.StatusOK {
			c.st.fail("after kill %d: %s: export: %v %v", n, cr.ref, r, err)
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("%s-after-kill-%d.zip", cr.ref, n))
		if err := os.WriteFile(path, r.body, 0o600); err != nil {
			c.st.fail("write %s: %v", path, err)
			continue
		}
		if c.verifyBundle(ctx, cr, path, &n) {
			os.Remove(path)
		}
	}
}

// verifyReport is the part of "sanctuary verify -json" the campaign reads.
type verifyReport struct {
	Verified bool
	Problems []string
	Items    []struct {
		Dir     string
		OK      bool
		Title   string
		SHA256  string
		Reasons []string
		Events  []struct {
			Index int64
			Type  string
		}
	}
}

// verifyBundle verifies a bundle of the case and counts its export
// events as acknowledged. With after (the kill the checks follow; no load
// runs) it must also match the record and the custody histories exactly;
// without (a bundle made under load), only verify. It reports whether
// all was well; a bundle that was not is kept.
func (c *campaign) verifyBundle(ctx context.Context, cr *caseRec, path string, after *int) bool {
	r := c.box.run(ctx, nil, "", "verify", "-json", "-vkey", c.vkey, path)
	c.st.check("bundles verified")
	var rep verifyReport
	failed := false
	fail := func(format string, a ...any) {
		failed = true
		c.st.fail("bundle %s of %s: %s", filepath.Base(path), cr.ref, fmt.Sprintf(format, a...))
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 || !rep.Verified {
		fail("not VERIFIED: %v", r)
	}
	byHash := map[string]*itemRec{}
	items := c.rec.items(cr)
	for _, it := range items {
		byHash[it.sha] = it
	}
	for _, v := range rep.Items {
		it := byHash[v.SHA256]
		if it == nil {
			fail("%s holds a document (%.12s) of no item the client knows", v.Dir, v.SHA256)
			continue
		}
		c.rec.ackEvent(it, "export")
		if after != nil {
			c.sameHistory(ctx, cr, it, v.Title, v.Events, fail)
		}
	}
	if after != nil && len(rep.Items) != len(items) {
		fail("holds %d items; the case has %d", len(rep.Items), len(items))
	}
	if failed {
		kept := filepath.Join(c.cfg.dir, "failed-"+filepath.Base(path))
		os.Rename(path, kept)
	}
	return !failed
}

// sameHistory compares a bundle's item with the record and its custody
// history as the API shows it.
func (c *campaign) sameHistory(ctx context.Context, cr *caseRec, it *itemRec, title string, events []struct {
	Index int64
	Type  string
}, fail func(string, ...any)) {
	c.rec.mu.Lock()
	want := it.title
	c.rec.mu.Unlock()
	if title != want {
		fail("item %d has the title %q; the last acknowledged is %q", it.id, title, want)
	}
	var h struct {
		Events []struct {
			Index int64
			Type  string
		}
	}
	r, err := c.api.getJSON(ctx, "/api/v1/cases/"+cr.ref+"/evidence/"+itoa(it.id)+"/custody", &h)
	if err != nil || r.status != http.StatusOK {
		fail("custody of item %d: %v %v", it.id, r, err)
		return
	}
	if !slices.Equal(h.Events, events) {
		fail("item %d: the bundle shows the events %v, its custody history %v", it.id, events, h.Events)
	}
}

// checkShredLog counts the shred entries in the custody log: every case
// seen shredded must have one (docs/evidence.md: "the custody log
// records the shred").
func (c *campaign) checkShredLog(n int) {
	entries, err := readCustodyLog(filepath.Join(c.box.dataDir, "custody"))
	c.st.check("custody log read for shreds")
	if err != nil {
		c.st.fail("after kill %d: read the custody log: %v", n, err)
		return
	}
	logged := 0
	for _, e := range entries {
		if eventType(e) == "shred" {
			logged++
		}
	}
	shredded := 0
	for _, cr := range c.rec.all() {
		c.rec.mu.Lock()
		if cr.shredded {
			shredded++
		}
		c.rec.mu.Unlock()
	}
	if logged < shredded && shredded > c.shredGap {
		c.shredGap = shredded
		c.st.fail("after kill %d: %d cases are shredded, but the custody log holds %d shred entries", n, shredded, logged)
	}
}

// checkAudit verifies the audit trail's hash chain and its anchors.
func (c *campaign) checkAudit(ctx context.Context) {
	r := c.box.run(ctx, nil, "", "audit", "verify")
	c.st.check("audit trail verified")
	if r.code != 0 || !strings.Contains(r.stdout, "OK") {
		c.st.fail("audit verify: %v", r)
	}
}

// replenish keeps two throwaway cases ready for shredding, and retires a
// main case to throwaway once it holds max-items items (so that checks
// stay quick), opening a new one in its place.
func (c *campaign) replenish(ctx context.Context) {
	ready := 0
	for _, cr := range c.rec.live() {
		c.rec.mu.Lock()
		switch {
		case cr.throwaway && !cr.shredTry:
			ready++
		case !cr.throwaway && len(cr.items) >= c.cfg.maxItems:
			cr.throwaway = true
			c.rec.mu.Unlock()
			if _, err := c.openCase(ctx, false); err != nil {
				c.st.fail("open a case: %v", err)
			}
			c.rec.mu.Lock()
			ready++
		}
		c.rec.mu.Unlock()
	}
	for ; ready < 2; ready++ {
		if _, err := c.openCase(ctx, true); err != nil {
			c.st.fail("open a case: %v", err)
			return
		}
	}
}

// openCase opens a case through the API, with one document.
func (c *campaign) openCase(ctx context.Context, throwaway bool) (*caseRec, error) {
	body := map[string]any{"person": map[string]any{"name_latin": map[string]string{"family": "Testov", "given": "Campaign"}},
		"destinations": []string{"DE", "NL"}}
	r, err := c.api.call(ctx, http.MethodPost, "/api/v1/cases", body)
	var cs struct{ Reference string }
	if err != nil || r.status != http.StatusCreated || json.Unmarshal(r.body, &cs) != nil {
		return nil, fmt.Errorf("POST /api/v1/cases: %v %v", r, err)
	}
	cr := c.rec.addCase(cs.Reference, throwaway)
	c.st.ack("case opened")
	u := c.newUpload(c.rand(int(c.uploads.Load()), 255), "api")
	r, err = c.api.upload(ctx, cr.ref, &upload{meta: evidenceMeta{Title: u.title, Kind: "other"}, doc: u.doc})
	var it evidenceItem
	if err != nil || r.status != http.StatusCreated || json.Unmarshal(r.body, &it) != nil {
		return cr, fmt.Errorf("upload to %s: %v %v", cr.ref, r, err)
	}
	c.st.ack("upload")
	return cr, c.rec.ackItem(cr, it, u)
}
