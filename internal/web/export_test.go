package web

import (
	"io"
	"log/slog"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
)

// RouteRow is one route with its row of the authorization table, for the
// authorization matrix test.
type RouteRow struct {
	Method, Pattern string
	Set             bool
	Public, PerCase bool
	Roles           []sanctuary.Role // nil: anyone signed in
}

// Allows reports whether the row lets the role in, on its own case.
func (r RouteRow) Allows(role sanctuary.Role) bool {
	return r.Public || r.Roles == nil || slices.Contains(r.Roles, role)
}

// RouteRows lists every route with its access row.
func RouteRows() []RouteRow {
	var out []RouteRow
	for _, rt := range routes(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{}) {
		out = append(out, RouteRow{Method: rt.method, Pattern: rt.pattern, Set: rt.access.set, Public: rt.access.public,
			PerCase: rt.access.perCase, Roles: rt.access.roles})
	}
	return out
}

// IsAPI reports whether the pattern is an API route.
func IsAPI(pattern string) bool { return isAPI(pattern) }
