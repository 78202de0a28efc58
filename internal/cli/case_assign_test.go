package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// TestCLI_CaseAssignRepairsAnOrphanedCase empties a case's team in the
// database, as the old bug did, so that it answers "no case" to its own
// lawyer; the operator puts her back on it with "case assign", which the
// audit trail records. A disabled or non-staff account is refused, and
// the lawyer cannot be disabled while she is the case's only member.
func TestCLI_CaseAssignRepairsAnOrphanedCase(t *testing.T) {
	both(t, func(t *testing.T, s *sanctuary) {
		ref := strings.TrimSpace(s.ok("case", "new", "--given-cyr", "Марк", "--destination", "DE"))
		s.fails(4, "last lawyer or caseworker on 1 case(s)", "user", "disable", tester)
		s.emptyTeam(ref)
		s.fails(3, "no case", "case", "show", ref)

		s.ok("user", "add", "--role", "auditor", "audit@ngo.example")
		s.ok("user", "add", "--role", "caseworker", "gone@ngo.example")
		s.ok("user", "disable", "gone@ngo.example")
		s.fails(2, "is disabled", "case", "assign", ref, "--add", "gone@ngo.example")
		s.fails(2, "only lawyers and caseworkers", "case", "assign", ref, "--add", "audit@ngo.example")
		s.fails(3, "no case", "case", "assign", "SN-2020-9999", "--add", tester)
		s.fails(2, "--add", "case", "assign", ref)

		if out := s.ok("case", "assign", ref, "--add", tester); !strings.Contains(out, ref) || !strings.Contains(out, tester) {
			t.Errorf("case assign printed %q", out)
		}
		if out := s.ok("case", "show", ref); !strings.Contains(out, "Марк") {
			t.Errorf("the repaired case:\n%s", out)
		}
		s.env["SANCTUARY_ACTOR"] = "audit@ngo.example"
		trail := s.ok("audit", "list", "--action", "case.assign", "--limit", "100")
		if !strings.Contains(trail, "operator") || !strings.Contains(trail, "added "+tester) || !strings.Contains(trail, ref) {
			t.Errorf("the audit trail of the repair:\n%s", trail)
		}
	})
}

// emptyTeam empties the case's team in the database directly.
func (s *sanctuary) emptyTeam(ref string) {
	s.t.Helper()
	ctx := context.Background()
	db := s.openStore()
	defer db.Close()
	err := db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.CaseByReference(ctx, ref)
		if err != nil {
			return err
		}
		c.Assignees = []string{}
		return tx.UpdateCase(ctx, &c)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}
