package rules

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

func (l *loader) loadPackFile() {
	o, ok := asObj(l.ps, packFile, l.docs[packFile], "name", "version", "covers_until", "title")
	if !ok {
		return
	}
	l.p.Name = o.id("name")
	l.p.Version = o.str("version", true)
	if d := o.date("covers_until", true); d != nil {
		l.p.CoversUntil = *d
	}
	l.p.Title = o.text("title", true)
}

var publishedForm = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func confidences() []string {
	return []string{string(ConfidenceHigh), string(ConfidenceMedium), string(ConfidenceLow)}
}

func (l *loader) loadSources() {
	l.p.sources = map[string]*Source{}
	lines := map[string]int{}
	for _, n := range l.docs[sourcesFile].Content {
		o, ok := asObj(l.ps, sourcesFile, n, "id", "title", "publisher", "url", "published", "confidence", "note")
		if !ok {
			continue
		}
		s := Source{ID: o.id("id"), Title: o.str("title", true), Publisher: o.str("publisher", true),
			URL: o.str("url", false), Published: o.str("published", true),
			Confidence: Confidence(o.enum("confidence", confidences()...)), Note: o.str("note", false)}
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				o.errf("url", "%q is not an http(s) address", s.URL)
			}
		}
		checkPublished(o, s.Published)
		if first, dup := lines[s.ID]; dup && s.ID != "" {
			o.errf("id", "source %q is already declared on line %d", s.ID, first)
			continue
		}
		lines[s.ID] = o.line
		l.p.Sources = append(l.p.Sources, s)
	}
	for i := range l.p.Sources {
		l.p.sources[l.p.Sources[i].ID] = &l.p.Sources[i]
	}
}

// PublishedDay is the first day a source's published date (YYYY-MM-DD,
// YYYY-MM or YYYY) can mean.
func PublishedDay(s string) (casefile.Date, bool) {
	if !publishedForm.MatchString(s) {
		return casefile.Date{}, false
	}
	switch len(s) {
	case 4:
		s += "-01-01"
	case 7:
		s += "-01"
	}
	d, err := casefile.ParseDate(s)
	return d, err == nil
}

// checkPublished accepts YYYY-MM-DD, YYYY-MM or YYYY of a real date.
func checkPublished(o *obj, s string) {
	if s == "" {
		return
	}
	if !publishedForm.MatchString(s) {
		o.errf("published", "%q must be YYYY-MM-DD, YYYY-MM or YYYY", s)
		return
	}
	if _, ok := PublishedDay(s); !ok {
		o.errf("published", "%q is not a real date", s)
	}
}

var jurisdictionForm = regexp.MustCompile(`^([A-Z]{2}|EU|INT)$`)

func (l *loader) loadJurisdictions() {
	l.p.juris = map[string]int{}
	for _, n := range l.docs[jurisdictionsFile].Content {
		o, ok := asObj(l.ps, jurisdictionsFile, n, "code", "kind", "name")
		if !ok {
			continue
		}
		j := Jurisdiction{Code: o.str("code", true), Kind: o.enum("kind", "origin", "destination", "transit", "supranational"),
			Name: o.text("name", true)}
		switch {
		case !jurisdictionForm.MatchString(j.Code) || (len(j.Code) == 2 && j.Code != "EU" && !casefile.ValidCountry(j.Code)):
			o.errf("code", "%q must be an ISO 3166-1 alpha-2 code, EU or INT", j.Code)
			continue
		case l.hasJurisdiction(j.Code):
			o.errf("code", "jurisdiction %s is declared twice", j.Code)
			continue
		}
		l.p.juris[j.Code] = len(l.p.Jurisdictions)
		l.p.Jurisdictions = append(l.p.Jurisdictions, j)
	}
}

func (l *loader) hasJurisdiction(code string) bool {
	_, ok := l.p.juris[code]
	return ok
}

// prefixOf is the id prefix rules of a jurisdiction carry: "de-", "int-".
func prefixOf(code string) string { return strings.ToLower(code) + "-" }
