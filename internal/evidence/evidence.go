// Package evidence describes the documents that support a person's claim:
// summonses, court papers, articles, screenshots, recordings, captured web
// pages. An item's file lives encrypted in the vault (internal/vault) and
// every ingest, view, download, derivation, export and change of its
// description is an event of the custody log (internal/custody).
//
// The fields that could identify the person or the document — its title,
// where it was obtained, its original file name, its SHA-256 and the salt
// of its commitment — travel together in Secret, which is kept encrypted
// to the case's key (Sealed): a copy of the database does not reveal them,
// nor let anyone holding a copy of a document find it, and destroying the
// case key destroys them.
package evidence

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// Kind is what an item is.
type Kind string

// The kinds of evidence.
const (
	KindSummons       Kind = "summons"
	KindCourtDocument Kind = "court_document"
	KindArticle       Kind = "article"
	KindScreenshot    Kind = "screenshot"
	KindVideo         Kind = "video"
	KindWebCapture    Kind = "web_capture"
	KindIdentity      Kind = "identity_document"
	KindOther         Kind = "other"
)

// Kinds lists every kind.
func Kinds() []Kind {
	return []Kind{KindSummons, KindCourtDocument, KindArticle, KindScreenshot, KindVideo, KindWebCapture, KindIdentity, KindOther}
}

// Secret holds an item's identifying fields, kept encrypted as Sealed.
type Secret struct {
	Title        string `json:"title"`
	ObtainedFrom string `json:"obtained_from,omitempty"`
	OriginalName string `json:"original_name,omitempty"`
	PlainSHA256  string `json:"plain_sha256"`
	Salt         []byte `json:"salt"`
	// DescriptionSalt salts the commitment to the item's current
	// description, which its latest ingest or annotate event carries; a
	// fresh one is drawn for every change. Empty for items logged before
	// descriptions were committed.
	DescriptionSalt []byte `json:"description_salt,omitempty"`
}

// Item is one piece of evidence.
type Item struct {
	ID           int64          `json:"id"`
	Kind         Kind           `json:"kind"`
	DocumentDate *casefile.Date `json:"document_date,omitempty"`
	ObtainedAt   *casefile.Date `json:"obtained_at,omitempty"`
	Language     string         `json:"language,omitempty"`
	// Facts names the case facts the item supports.
	Facts []string `json:"facts"`
	// TranslationOf is the ID of the original this item translates.
	TranslationOf int64 `json:"translation_of,omitempty"`
	// DerivedFrom is the ID of the item this one is a working copy of
	// (made by Sanctuary, such as a copy with its metadata stripped).
	DerivedFrom int64 `json:"derived_from,omitempty"`

	Size       int64  `json:"size"`
	ObjectID   string `json:"object_id"`
	Commitment string `json:"commitment"`
	// LogIndex is the index of its ingest event in the custody log.
	LogIndex int64 `json:"log_index"`
	// LastEvent is the hash of its latest custody event.
	LastEvent string `json:"-"`
	// DescriptionCommitment is the commitment to the current description
	// (custody.CommitDescription), set when it is computed for an event
	// or a bundle.
	DescriptionCommitment string    `json:"-"`
	CreatedAt             time.Time `json:"created_at"`
	CreatedBy             string    `json:"created_by"`
	UpdatedAt             time.Time `json:"updated_at"`

	// Secret is the opened form of Sealed; empty while not opened, and
	// for ever once the case key is destroyed.
	Secret Secret `json:"-"`
	Sealed []byte `json:"-"`
}

// Meta is what a person says about an item when adding or editing it.
type Meta struct {
	Title         string         `json:"title"`
	Kind          Kind           `json:"kind"`
	DocumentDate  *casefile.Date `json:"document_date,omitempty"`
	ObtainedFrom  string         `json:"obtained_from,omitempty"`
	ObtainedAt    *casefile.Date `json:"obtained_at,omitempty"`
	Language      string         `json:"language,omitempty"`
	Facts         []string       `json:"facts,omitempty"`
	TranslationOf int64          `json:"translation_of,omitempty"`
	OriginalName  string         `json:"original_name,omitempty"`
}

// Limits on metadata.
const (
	MaxTitleLen = 300
	MaxFromLen  = 300
	MaxNameLen  = 255
	MaxFacts    = 50
)

// Valid returns every problem with the metadata. voc checks fact names;
// today bounds the dates.
func (m Meta) Valid(voc *casefile.Vocabulary, today casefile.Date) map[string]string {
	errs := map[string]string{}
	if strings.TrimSpace(m.Title) == "" {
		errs["title"] = "is required"
	} else if oneLine(m.Title, MaxTitleLen) != nil {
		errs["title"] = fmt.Sprintf("must be one line of at most %d bytes", MaxTitleLen)
	}
	if !slices.Contains(Kinds(), m.Kind) {
		errs["kind"] = "must be one of: " + joinKinds()
	}
	checkDate(errs, "document_date", m.DocumentDate, today)
	checkDate(errs, "obtained_at", m.ObtainedAt, today)
	if m.ObtainedFrom != "" && oneLine(m.ObtainedFrom, MaxFromLen) != nil {
		errs["obtained_from"] = fmt.Sprintf("must be one line of at most %d bytes", MaxFromLen)
	}
	if m.OriginalName != "" && oneLine(m.OriginalName, MaxNameLen) != nil {
		errs["original_name"] = fmt.Sprintf("must be one line of at most %d bytes", MaxNameLen)
	}
	if m.Language != "" && !casefile.ValidLanguage(m.Language) {
		errs["language"] = "must be an ISO 639-1 code such as ru"
	}
	checkFacts(errs, m.Facts, voc)
	if m.TranslationOf < 0 {
		errs["translation_of"] = "must be the id of an item of the case"
	}
	return errs
}

func checkDate(errs map[string]string, field string, d *casefile.Date, today casefile.Date) {
	if d != nil && (d.After(today) || d.Year < 1900) {
		errs[field] = "must be a date between 1900 and today"
	}
}

func checkFacts(errs map[string]string, facts []string, voc *casefile.Vocabulary) {
	if len(facts) > MaxFacts {
		errs["facts"] = fmt.Sprintf("at most %d facts", MaxFacts)
		return
	}
	for i, f := range facts {
		if _, ok := voc.Lookup(f); !ok {
			errs[fmt.Sprintf("facts[%d]", i)] = fmt.Sprintf("unknown fact %q", cut(f))
		} else if slices.Contains(facts[:i], f) {
			errs[fmt.Sprintf("facts[%d]", i)] = fmt.Sprintf("%q is listed twice", f)
		}
	}
}

func oneLine(s string, max int) error {
	if err := casefile.CheckText(s, max); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\n\r\t") {
		return fmt.Errorf("must be one line")
	}
	return nil
}

func joinKinds() string {
	var parts []string
	for _, k := range Kinds() {
		parts = append(parts, string(k))
	}
	return strings.Join(parts, ", ")
}

func cut(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Apply writes the metadata into the item and its secret, and names the
// fields that changed.
func (m Meta) Apply(it *Item) []string {
	var changed []string
	set := func(name string, differ bool, do func()) {
		if differ {
			changed = append(changed, name)
			do()
		}
	}
	set("title", it.Secret.Title != m.Title, func() { it.Secret.Title = m.Title })
	set("kind", it.Kind != m.Kind, func() { it.Kind = m.Kind })
	set("document_date", !sameDate(it.DocumentDate, m.DocumentDate), func() { it.DocumentDate = m.DocumentDate })
	set("obtained_from", it.Secret.ObtainedFrom != m.ObtainedFrom, func() { it.Secret.ObtainedFrom = m.ObtainedFrom })
	set("obtained_at", !sameDate(it.ObtainedAt, m.ObtainedAt), func() { it.ObtainedAt = m.ObtainedAt })
	set("language", it.Language != m.Language, func() { it.Language = m.Language })
	set("facts", !slices.Equal(it.Facts, m.Facts), func() { it.Facts = append([]string{}, m.Facts...) })
	set("translation_of", it.TranslationOf != m.TranslationOf, func() { it.TranslationOf = m.TranslationOf })
	return changed
}

func sameDate(a, b *casefile.Date) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
