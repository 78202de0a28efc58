package store

import (
	"context"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// CasesOnlyStaffedBy returns the cases (ID, reference, status) that the
// email is the last live member of: no other assignee is an account of a
// lawyer or caseworker that is not disabled. Cases whose key was
// destroyed are left out: nothing in them can be read any more.
func (tx *Tx) CasesOnlyStaffedBy(ctx context.Context, email string) ([]casefile.Case, error) {
	return queryAll(ctx, tx, "cases only staffed by an account", `SELECT c.id, c.reference, c.status FROM cases c
		JOIN case_assignees a ON a.case_id = c.id AND a.name = ?
		WHERE NOT EXISTS (SELECT 1 FROM case_data_keys k WHERE k.case_id = c.id AND k.destroyed_at IS NOT NULL)
		AND NOT EXISTS (SELECT 1 FROM case_assignees o JOIN users u ON u.email = o.name
			WHERE o.case_id = c.id AND o.name <> a.name AND u.status <> ? AND u.role IN (?, ?))
		ORDER BY c.id`, []any{email, account.StatusDisabled, sanctuary.RoleLawyer, sanctuary.RoleCaseworker},
		func(row scanner) (casefile.Case, error) {
			var c casefile.Case
			err := row.Scan(&c.ID, &c.Reference, &c.Status)
			return c, err
		})
}

// UpdateCaseTeam writes the case's assignees only, and advances its
// version. Unlike UpdateCase it needs no data key: the team of a case
// whose key was destroyed can still be repaired. It returns ECONFLICT if
// the stored version is no longer c.Version.
func (tx *Tx) UpdateCaseTeam(ctx context.Context, c *casefile.Case) error {
	res, err := tx.exec(ctx, `UPDATE cases SET updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		tx.timeArg(), c.ID, c.Version)
	if err := tx.checkVersioned(res, err, c); err != nil {
		return err
	}
	return tx.writeCaseLists(ctx, c)
}
