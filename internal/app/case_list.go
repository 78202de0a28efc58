package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// Page sizes of case listings.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// CaseQuery selects and pages cases. Zero fields do not filter.
type CaseQuery struct {
	Statuses    []casefile.Status
	Destination string
	Assignee    string
	// Name finds cases by a person's exact name, in Latin or Cyrillic
	// script, as "family given" or "family given patronymic"; case, ё/е
	// and extra spaces do not matter. Names are matched through a keyed
	// blind index, never in the clear.
	Name string
	// Cursor continues a listing where the previous page ended; it is
	// the NextCursor of that page.
	Cursor string
	Limit  int
}

// CasePage is one page of cases, newest first. NextCursor is empty on the
// last page.
type CasePage struct {
	Cases      []casefile.Case `json:"cases"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

func (q CaseQuery) filter() (store.CaseFilter, map[string]string) {
	errs := map[string]string{}
	f := store.CaseFilter{Statuses: q.Statuses, Destination: q.Destination, Assignee: q.Assignee, Limit: q.Limit}
	for i, s := range q.Statuses {
		if !s.Valid() {
			errs[fmt.Sprintf("status[%d]", i)] = "must be one of: " + casefile.JoinStatuses(casefile.Statuses())
		}
	}
	if q.Name != "" && store.NormalizeName(q.Name) == "" {
		errs["name"] = "must not be blank"
	}
	if len(q.Name) > 300 {
		errs["name"] = "must be at most 300 bytes"
	}
	if q.Destination != "" && !casefile.ValidCountry(q.Destination) {
		errs["destination"] = "must be an ISO 3166-1 alpha-2 country code such as DE"
	}
	switch {
	case q.Limit == 0:
		f.Limit = DefaultPageSize
	case q.Limit < 1 || q.Limit > MaxPageSize:
		errs["limit"] = fmt.Sprintf("must be between 1 and %d", MaxPageSize)
	}
	if q.Cursor != "" {
		id, err := decodeCursor(q.Cursor)
		if err != nil {
			errs["cursor"] = "is not a cursor this server handed out"
		}
		f.BeforeID = id
	}
	return f, errs
}

// ListCases returns one page of the cases matching q, newest first.
func (a *App) ListCases(ctx context.Context, q CaseQuery) (CasePage, error) {
	f, errs := q.filter()
	if len(errs) > 0 {
		return CasePage{}, sanctuary.Invalid("the case list cannot be read", errs)
	}
	want := f.Limit
	f.Limit++ // one more tells whether another page follows
	var page CasePage
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		p, err := a.allow(ctx, tx, ActCaseList, listObject(q))
		if err != nil {
			return err
		}
		f.Visible = visibility(p)
		if q.Name != "" {
			if f.NameToken, err = tx.NameToken(ctx, q.Name); err != nil || f.NameToken == "" {
				page.Cases = []casefile.Case{} // no name was ever indexed
				return err
			}
		}
		page.Cases, err = tx.ListCases(ctx, f)
		return err
	})
	if err != nil {
		return CasePage{}, err
	}
	if len(page.Cases) > want {
		page.Cases = page.Cases[:want]
		page.NextCursor = encodeCursor(page.Cases[want-1].ID)
	}
	return page, nil
}

// listObject describes a listing for the audit trail: which filters,
// never the name searched for.
func listObject(q CaseQuery) string {
	var parts []string
	if q.Name != "" {
		parts = append(parts, "by name")
	}
	if q.Destination != "" {
		parts = append(parts, "destination "+q.Destination)
	}
	if len(q.Statuses) > 0 {
		parts = append(parts, "status")
	}
	if q.Assignee != "" {
		parts = append(parts, "assignee")
	}
	if len(parts) == 0 {
		return "cases"
	}
	return "cases " + strings.Join(parts, ", ")
}

const cursorPrefix = "c1:"

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	rest, ok := strings.CutPrefix(string(b), cursorPrefix)
	if !ok {
		return 0, fmt.Errorf("bad cursor")
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("bad cursor")
	}
	return id, nil
}
