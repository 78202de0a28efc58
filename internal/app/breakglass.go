package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// BreakGlassTTL is how long a break-glass grant lasts.
const BreakGlassTTL = time.Hour

// BreakGlass gives the acting admin access to a case that is not theirs,
// for BreakGlassTTL, with a written reason. The grant goes into the audit
// trail and the reason onto the case's timeline (sealed with the case),
// where its team sees it.
func (a *App) BreakGlass(ctx context.Context, ref, reason string) (time.Time, error) {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < 20 || len(reason) > 1000 || strings.ContainsFunc(reason, func(r rune) bool { return r < 0x20 && r != '\n' }) {
		return time.Time{}, sanctuary.Invalid("break-glass needs a reason", map[string]string{
			"reason": "say in 20 to 1000 characters why you must open this case"})
	}
	var until time.Time
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		p, c, err := lookUpCase(ctx, tx, ref, ActBreakGlass, "break-glass grant") // not a member: that is the point
		if err != nil {
			return err
		}
		until = tx.Now().Add(BreakGlassTTL)
		id, err := tx.InsertBreakGlass(ctx, p.UserID, c.ID, reason, until)
		if err != nil {
			return err
		}
		// The reason is kept sealed with the case (grant and timeline), not in
		// the trail, which outlives a shred: it may name the client.
		tx.Audit(entry(p, ActBreakGlass, audit.Allowed, c.Reference, "break-glass grant",
			"grant "+strconv.FormatInt(id, 10)+" until "+until.Format(time.RFC3339)+"; reason on the case's timeline"))
		return record(ctx, tx, c, p.Actor(), casefile.EventBreakGlass, casefile.EventDetail{
			Until: until.Format(time.RFC3339), Reason: reason})
	})
	return until, err
}
