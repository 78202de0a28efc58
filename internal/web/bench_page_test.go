package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/evidence"
	"github.com/sanctuary-platform/sanctuary/internal/rules"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// benchDestinations are the ten destination countries of the big case.
var benchDestinations = []string{"DE", "NL", "FR", "FI", "EE", "LV", "LT", "PL", "CZ", "ES"}

// bigPack has 200 facts of every type and, for each of ten destination
// countries, five rules over them (some apply, some stay undetermined).
func bigPack(tb testing.TB) *rules.Pack {
	var facts, juris strings.Builder
	types := casefile.Types()
	for i := range 200 {
		t := types[i%len(types)]
		fmt.Fprintf(&facts, "- name: fact_%03d\n  type: %s\n  question: {ru: \"Вопрос %d?\", en: \"Question %d?\", de: \"Frage %d?\"}\n", i, t, i, i, i)
		if t == casefile.TypeEnum || t == casefile.TypeEnumList {
			facts.WriteString("  values:\n")
			for _, v := range []string{"alpha", "beta", "gamma", "delta"} {
				fmt.Fprintf(&facts, "    - {value: %s, label: {ru: %s, en: %s, de: %s}}\n", v, v, v, v)
			}
		}
	}
	juris.WriteString("- {code: RU, kind: origin, name: {ru: Россия, en: Russia, de: Russland}}\n")
	files := map[string][]byte{
		"pack.yaml":    []byte("name: bench\nversion: \"1\"\ncovers_until: 2030-01-31\ntitle: {ru: т, en: t, de: t}\n"),
		"sources.yaml": []byte("- {id: src, title: Source, publisher: P, published: 2024, confidence: high}\n"),
		"facts.yaml":   []byte(facts.String()),
	}
	conds := []string{"fact_000", "fact_006 && fact_012", "fact_018 || fact_300x", "!fact_024", "fact_030 && fact_199 == 'x'"}
	for _, code := range benchDestinations {
		fmt.Fprintf(&juris, "- {code: %s, kind: destination, name: {ru: %s, en: %s, de: %s}}\n", code, code, code, code)
		var rs strings.Builder
		for i, c := range conds {
			c = strings.ReplaceAll(c, "fact_300x", "fact_036")
			c = strings.ReplaceAll(c, "fact_199 == 'x'", "fact_192")
			kind := rules.Kinds()[i%len(rules.Kinds())]
			fmt.Fprintf(&rs, "- {id: %s-r%d, version: 1, jurisdiction: %s, kind: %s, subject: %s-r%d, valid_from: 2022-01-01, "+
				"known_from: 2022-01-01, condition: \"%s\", finding: {ru: \"Вывод %d\", en: \"Finding %d\", de: \"Ergebnis %d\"}, "+
				"sources: [{id: src, pinpoint: p}], confidence: medium}\n", strings.ToLower(code), i, code, kind, strings.ToLower(code), i, c, i, i, i)
		}
		files["rules/"+strings.ToLower(code)+".yaml"] = []byte(rs.String())
	}
	files["jurisdictions.yaml"] = []byte(juris.String())
	p, err := rules.ParseFiles(files)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func benchValue(d casefile.FactDef, n int) json.RawMessage {
	var v any
	switch d.Type {
	case casefile.TypeBool:
		v = n%2 == 0
	case casefile.TypeInteger:
		v = n
	case casefile.TypeDate:
		v = fmt.Sprintf("2022-%02d-%02d", 1+n%12, 1+n%28)
	case casefile.TypeEnum:
		v = d.Values[n%len(d.Values)]
	case casefile.TypeText:
		v = fmt.Sprintf("Statement number %d, given in the first interview.", n)
	case casefile.TypeEnumList:
		v = d.Values[:1+n%len(d.Values)]
	}
	b, _ := json.Marshal(v)
	return b
}

// bigCase serves a case with 200 facts, ten destinations and 100
// evidence items, and returns the handler, the case and a way to open
// sessions.
func bigCase(b testing.TB, db *store.DB) (http.Handler, string, *staffSite) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := app.New(db, bigPack(b), log, app.WithEvidence(testEvidence(b)))
	h := web.NewHandler(a, log, web.Options{})
	staffToken(b, db, a, lena, sanctuary.RoleCaseworker)
	s := &staffSite{tb: b, db: db, a: a}
	ctx := s.as(lena)
	c, err := a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: benchDestinations, Assignees: []string{lena}})
	if err != nil {
		b.Fatal(err)
	}
	var ins []casefile.FactInput
	for i, d := range a.Vocabulary().Defs() {
		ins = append(ins, casefile.FactInput{Name: d.Name, Value: benchValue(d, i), Source: casefile.SourceStatement})
	}
	if _, err := a.SetFacts(ctx, c.Reference, ins); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		m := evidence.Meta{Title: fmt.Sprintf("Document %d (fictional)", i), Kind: evidence.KindOther, OriginalName: fmt.Sprintf("doc-%d.pdf", i)}
		if _, err := a.AddEvidence(ctx, c.Reference, m, bytes.NewReader([]byte(fmt.Sprintf("%%PDF-1.4 document %d", i)))); err != nil {
			b.Fatal(err)
		}
	}
	return h, c.Reference, s
}

// BenchmarkCasePage renders the case page of a big case in process: the
// session check, the one read (case file, evidence, assessment over ten
// countries), its audit entry and the HTML.
func BenchmarkCasePage(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		h, ref, s := bigCase(b, db)
		cookie, _ := s.session(lena)
		var size int
		for b.Loop() {
			req := httptest.NewRequest("GET", "/cases/"+ref+"?lang=ru", nil)
			req.AddCookie(&http.Cookie{Name: "sanctuary", Value: cookie})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code, rec.Body.String())
			}
			size = rec.Body.Len()
		}
		b.ReportMetric(float64(size), "html-bytes")
	})
}

// BenchmarkCasePageLoad50 is the load test: a real server on loopback and
// 50 sessions asking for the big case's page, each as its own client with
// its own session. "think-1s" is 50 people at work: each waits a random
// time (exponential, mean 1 s) between pages, so 50 pages a second arrive
// on average; "no-think" asks again as soon as a page arrives, which
// saturates the server and shows its throughput. It reports the latency
// percentiles of a request end to end. b.N is the total number of
// requests.
func BenchmarkCasePageLoad50(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		h, ref, s := bigCase(b, db)
		srv := httptest.NewServer(h)
		defer srv.Close()
		b.Run("think-1s", func(b *testing.B) { loadCasePage(b, srv.URL+"/cases/"+ref, s, time.Second) })
		b.Run("no-think", func(b *testing.B) { loadCasePage(b, srv.URL+"/cases/"+ref, s, 0) })
	})
}

func loadCasePage(b *testing.B, url string, s *staffSite, think time.Duration) {
	const clients = 50
	cookies := make([]string, clients)
	for i := range cookies {
		cookies[i], _ = s.session(lena)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	per := max(b.N/clients, 1)
	start := time.Now()
	b.ResetTimer()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			for range per {
				if think > 0 {
					time.Sleep(time.Duration(rng.ExpFloat64() * float64(think)))
				}
				d, err := fetch(hc, url, cookies[i])
				if err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], d)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(all))/time.Since(start).Seconds(), "pages/s")
}

// fetch asks for a page with the session and reads it whole.
func fetch(hc *http.Client, url, cookie string) (time.Duration, error) {
	req, _ := http.NewRequest("GET", url, nil)
	req.AddCookie(&http.Cookie{Name: "sanctuary", Value: cookie})
	start := time.Now()
	res, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d", res.StatusCode)
	}
	return time.Since(start), nil
}

// TestServeBigCase serves the big case for an outside load tool
// (scripts/load-case-page runs wrk against it). It runs only when
// SANCTUARY_BIG_CASE_SERVE names how long to serve, and writes the page's
// URL and one session cookie per line into SANCTUARY_BIG_CASE_INFO.
func TestServeBigCase(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("SANCTUARY_BIG_CASE_SERVE"))
	if err != nil {
		t.Skip("set SANCTUARY_BIG_CASE_SERVE (a duration) to serve the big case for a load tool")
	}
	db := storetest.OpenSQLite(t)
	h, ref, s := bigCase(t, db)
	srv := httptest.NewServer(h)
	defer srv.Close()
	var info strings.Builder
	fmt.Fprintf(&info, "%s/cases/%s\n", srv.URL, ref)
	for range 50 {
		c, _ := s.session(lena)
		fmt.Fprintln(&info, c)
	}
	if err := os.WriteFile(os.Getenv("SANCTUARY_BIG_CASE_INFO"), []byte(info.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
}
