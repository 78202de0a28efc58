package app

import (
	"context"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// BenchmarkPermissionCheck times the decision itself, as openCase makes it
// on every case read: the role and scope check and the team membership.
func BenchmarkPermissionCheck(b *testing.B) {
	p := sanctuary.Principal{Role: sanctuary.RoleCaseworker, Email: "lena@ngo.example", Via: "api",
		Scopes: []string{ScopeCasesRead, ScopeCasesWrite}}
	c := casefile.Case{ID: 1, Assignees: []string{"omar@ngo.example", "jana@ngo.example", "lena@ngo.example"}}
	ctx := context.Background()
	for b.Loop() {
		if why := roleDenial(p, ActCaseRead); why != "" {
			b.Fatal(why)
		}
		if ok, err := member(ctx, nil, p, c); !ok || err != nil {
			b.Fatal("not a member")
		}
	}
}
