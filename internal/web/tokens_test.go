package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

// TestTokens_OwnScope: listing and revoking API tokens takes a session
// or a token with the tokens scope. A token with only evidence:read (or
// every other scope) can neither list nor revoke the account's tokens —
// before, it could revoke every one of them.
func TestTokens_OwnScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		ctx := s.as(lena)
		mk := func(scopes ...string) (int64, string) {
			tok, token, err := s.a.CreateAPIToken(ctx, app.NewAPIToken{Name: fmt.Sprint(scopes), Scopes: scopes})
			if err != nil {
				t.Fatalf("make a token with %v: %v", scopes, err)
			}
			return tok.ID, token
		}
		victim, _ := mk(app.ScopeCasesRead)
		_, reader := mk(app.ScopeEvidenceRead)
		var others []string
		for _, sc := range app.ScopesFor(sanctuary.RoleCaseworker) {
			if sc != app.ScopeTokens {
				others = append(others, sc)
			}
		}
		_, everyOther := mk(others...)

		api := func(token, method, path string) int {
			req, _ := http.NewRequest(method, s.base+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for name, token := range map[string]string{"evidence:read": reader, "every other scope": everyOther} {
			if got := api(token, "GET", "/api/v1/tokens"); got != http.StatusForbidden {
				t.Errorf("a token with %s lists the account's tokens: %d, want 403", name, got)
			}
			if got := api(token, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", victim)); got != http.StatusForbidden {
				t.Errorf("a token with %s revokes a token of the account: %d, want 403", name, got)
			}
		}
		if live := liveTokens(t, s); !live[victim] {
			t.Fatalf("the token was revoked by a token without the tokens scope")
		}
		_, manager := mk(app.ScopeTokens)
		if got := api(manager, "GET", "/api/v1/tokens"); got != http.StatusOK {
			t.Errorf("a token with the tokens scope cannot list: %d", got)
		}
		if got := api(manager, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", victim)); got != http.StatusNoContent {
			t.Errorf("a token with the tokens scope cannot revoke: %d", got)
		}
		if live := liveTokens(t, s); live[victim] {
			t.Errorf("the token is still live after its revocation")
		}

		b, csrf := s.signedIn(lena)
		second, _ := mk(app.ScopeCasesRead)
		if p := b.get("/account"); p.status != 200 {
			t.Errorf("the account page: %d", p.status)
		}
		if p := b.post("/account/tokens/revoke", url.Values{"csrf": {csrf}, "id": {fmt.Sprint(second)}}); p.status != http.StatusSeeOther {
			t.Errorf("a session cannot revoke a token: %d %s", p.status, p.body)
		}
		if live := liveTokens(t, s); live[second] {
			t.Errorf("the token is still live after the session revoked it")
		}
	})
}

func liveTokens(t *testing.T, s *staffSite) map[int64]bool {
	t.Helper()
	live := map[int64]bool{}
	err := s.db.View(context.Background(), func(tx *store.Tx) error {
		u, err := tx.UserByEmail(context.Background(), lena)
		if err != nil {
			return err
		}
		ts, err := tx.APITokens(context.Background(), u.ID)
		for _, tk := range ts {
			live[tk.ID] = tk.RevokedAt.IsZero()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return live
}

// TestLogoutEverywhere_AlsoRevokesTokens: "Sign out everywhere" ends
// every session of the account, and, when its box is ticked, revokes
// every API token of the account too; the audit trail says which.
func TestLogoutEverywhere_AlsoRevokesTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newStaffSite(t, db)
		ctx := s.as(lena)
		var ids []int64
		for _, sc := range []string{app.ScopeCasesRead, app.ScopeEvidenceRead} {
			tok, _, err := s.a.CreateAPIToken(ctx, app.NewAPIToken{Name: sc, Scopes: []string{sc}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tok.ID)
		}
		b, csrf := s.signedIn(lena)
		if p := b.get("/account"); !strings.Contains(p.body, `name="tokens" value="1"`) {
			t.Fatalf("the account page offers no box to revoke the tokens too:\n%s", p.body)
		}
		other, _ := s.signedIn(lena)
		if p := b.post("/logout-everywhere", url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d %s", p.status, p.body)
		}
		if p := other.get("/account"); p.status != http.StatusSeeOther {
			t.Errorf("another session survived: %d", p.status)
		}
		for _, id := range ids {
			if !liveTokens(t, s)[id] {
				t.Errorf("token %d was revoked although the box was not ticked", id)
			}
		}
		b, csrf = s.signedIn(lena)
		if p := b.post("/logout-everywhere", url.Values{"csrf": {csrf}, "tokens": {"1"}}); p.status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere with the tokens: %d %s", p.status, p.body)
		}
		for _, id := range ids {
			if liveTokens(t, s)[id] {
				t.Errorf("token %d is still live after sign out everywhere with the tokens", id)
			}
		}
		var details []string
		db.View(context.Background(), func(tx *store.Tx) error {
			es, err := tx.AuditEntries(context.Background(), store.AuditFilter{Action: "auth.logout_everywhere"})
			for _, e := range es {
				details = append(details, e.Detail)
			}
			return err
		})
		if len(details) != 2 || details[1] != "and every API token revoked" || details[0] != "" {
			t.Errorf("the audit trail records %q", details)
		}
	})
}
