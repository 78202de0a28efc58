package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sanctuary-platform/sanctuary"
)

// Invitation is a client's way into their one case: an expiring link.
type Invitation struct {
	ID         int64     `json:"id"`
	CaseID     int64     `json:"-"`
	TokenHash  string    `json:"-"`
	Language   string    `json:"language"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by"`
	ExpiresAt  time.Time `json:"expires_at"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
}

// InsertInvitation stores a new invitation and sets its ID.
func (tx *Tx) InsertInvitation(ctx context.Context, inv *Invitation) error {
	inv.CreatedAt = tx.now
	err := tx.queryRow(ctx, `INSERT INTO invitations (case_id, token_hash, language, created_at, created_by, expires_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, inv.CaseID, inv.TokenHash, inv.Language, tx.timeArg(), inv.CreatedBy,
		tx.timeValue(inv.ExpiresAt)).Scan(&inv.ID)
	if err != nil {
		return fmt.Errorf("store: insert invitation: %w", err)
	}
	return nil
}

const invitationColumns = `id, case_id, token_hash, language, created_at, created_by, expires_at, revoked_at, last_used_at`

func scanInvitation(row scanner) (Invitation, error) {
	var i Invitation
	err := row.Scan(&i.ID, &i.CaseID, &i.TokenHash, &i.Language, timeCol{&i.CreatedAt}, &i.CreatedBy,
		timeCol{&i.ExpiresAt}, timeCol{&i.RevokedAt}, timeCol{&i.LastUsedAt})
	return i, err
}

// InvitationByHash returns the invitation, or EUNAUTHORIZED.
func (tx *Tx) InvitationByHash(ctx context.Context, hash string) (Invitation, error) {
	return tx.oneInvitation(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, hash)
}

// InvitationByID returns the invitation, or EUNAUTHORIZED.
func (tx *Tx) InvitationByID(ctx context.Context, id int64) (Invitation, error) {
	return tx.oneInvitation(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = ?`, id)
}

func (tx *Tx) oneInvitation(ctx context.Context, q string, arg any) (Invitation, error) {
	i, err := scanInvitation(tx.queryRow(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return i, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "this invitation link is not valid")
	}
	if err != nil {
		return i, fmt.Errorf("store: read invitation: %w", err)
	}
	return i, nil
}

// Invitations lists the case's invitations, newest first.
func (tx *Tx) Invitations(ctx context.Context, caseID int64) ([]Invitation, error) {
	return queryAll(ctx, tx, "list invitations", `SELECT `+invitationColumns+` FROM invitations WHERE case_id = ? ORDER BY id DESC`,
		[]any{caseID}, scanInvitation)
}

// RevokeInvitation revokes an invitation of the case.
func (tx *Tx) RevokeInvitation(ctx context.Context, caseID, id int64) error {
	res, err := tx.exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE case_id = ? AND id = ? AND revoked_at IS NULL`,
		tx.timeArg(), caseID, id)
	if err != nil {
		return fmt.Errorf("store: revoke invitation: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sanctuary.Errorf(sanctuary.ENOTFOUND, "no live invitation %d on this case", id)
	}
	return nil
}

// TouchInvitation records the invitation's use now.
func (tx *Tx) TouchInvitation(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `UPDATE invitations SET last_used_at = ? WHERE id = ?`, tx.timeArg(), id); err != nil {
		return fmt.Errorf("store: touch invitation: %w", err)
	}
	return nil
}
