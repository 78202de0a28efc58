package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/audit"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
)

func newUser(t *testing.T, ctx context.Context, db *store.DB, email string) account.User {
	t.Helper()
	u := account.User{Email: email, Name: "Lena W.", Role: sanctuary.RoleCaseworker, Language: "de",
		Status: account.StatusPending, CreatedBy: "operator"}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, &u) }); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers_CredentialsAndConflicts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser(t, ctx, db, "lena@ngo.example")
		dup := account.User{Email: "lena@ngo.example", Role: sanctuary.RoleLawyer, Language: "en", Status: account.StatusPending}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(ctx, &dup) })
		if sanctuary.ErrorCode(err) != sanctuary.ECONFLICT {
			t.Errorf("a second account with one email: %v", err)
		}
		const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		err = db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.SetPassword(ctx, u.ID, "$argon2id$v=19$m=19456,t=2,p=1$x$y"); err != nil {
				return err
			}
			if err := tx.SetTOTP(ctx, u.ID, secret); err != nil {
				return err
			}
			return tx.SetUserFailures(ctx, u.ID, 5, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(storetest.Dump(t, db), []byte(secret)) {
			t.Error("the TOTP secret is in the database in the clear")
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			c, err := tx.UserCredentials(ctx, u.ID)
			if err != nil || c.TOTPSecret != secret || c.PasswordHash == "" {
				t.Errorf("credentials %+v, %v", c, err)
			}
			got, err := tx.UserByEmail(ctx, "lena@ngo.example")
			if err != nil || !got.TOTPEnrolled || got.Failures != 5 || got.LockedUntil.Year() != 2030 {
				t.Errorf("user %+v, %v", got, err)
			}
			if _, err := tx.UserByEmail(ctx, "nobody@ngo.example"); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
				t.Errorf("unknown email: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionsTokensInvitations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser(t, ctx, db, "lena@ngo.example")
		c := newCase(t, ctx, db)
		exp := db.Now().Add(time.Hour)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for _, h := range []string{"s1", "s2"} {
				if err := tx.InsertSession(ctx, &store.Session{TokenHash: h, UserID: u.ID, Stage: store.StageFull, CSRFToken: "c", ExpiresAt: exp}); err != nil {
					return err
				}
			}
			inv := store.Invitation{CaseID: c.ID, TokenHash: "i1", Language: "ru", CreatedBy: u.Email, ExpiresAt: exp}
			if err := tx.InsertInvitation(ctx, &inv); err != nil {
				return err
			}
			if err := tx.InsertSession(ctx, &store.Session{TokenHash: "s3", InvitationID: inv.ID, Stage: store.StageFull, CSRFToken: "c", ExpiresAt: exp}); err != nil {
				return err
			}
			tok := store.APIToken{UserID: u.ID, Name: "script", TokenHash: "t1", Scopes: []string{"cases:read"}, ExpiresAt: exp}
			return tx.InsertAPIToken(ctx, &tok)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			s, err := tx.SessionByHash(ctx, "s3")
			if err != nil || s.InvitationID == 0 || s.UserID != 0 {
				t.Errorf("client session %+v, %v", s, err)
			}
			if n, err := tx.DeleteUserSessions(ctx, u.ID); err != nil || n != 2 {
				t.Errorf("log out everywhere ended %d sessions, %v", n, err)
			}
			if _, err := tx.SessionByHash(ctx, "s1"); sanctuary.ErrorCode(err) != sanctuary.EUNAUTHORIZED {
				t.Errorf("a deleted session: %v", err)
			}
			tok, err := tx.APITokenByHash(ctx, "t1")
			if err != nil || len(tok.Scopes) != 1 || tok.Scopes[0] != "cases:read" {
				t.Errorf("token %+v, %v", tok, err)
			}
			if err := tx.RevokeAPIToken(ctx, u.ID, tok.ID); err != nil {
				return err
			}
			if err := tx.RevokeAPIToken(ctx, u.ID, tok.ID); sanctuary.ErrorCode(err) != sanctuary.ENOTFOUND {
				t.Errorf("revoking twice: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestBreakGlassAndLoginFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser(t, ctx, db, "admin@ngo.example")
		c := newCase(t, ctx, db)
		err := db.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.InsertBreakGlass(ctx, u.ID, c.ID, "CANARYREASON the team is unreachable", tx.Now().Add(time.Hour)); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(storetest.Dump(t, db), []byte("CANARYREASON")) {
			t.Error("a break-glass reason is in the clear")
		}
		db.View(ctx, func(tx *store.Tx) error {
			if ok, err := tx.BreakGlassActive(ctx, u.ID, c.ID); !ok || err != nil {
				t.Errorf("break-glass active = %v, %v", ok, err)
			}
			return nil
		})
		// Attempts per address: counted, given back, forgotten after the window.
		var counts []int
		for range 3 {
			db.Update(ctx, func(tx *store.Tx) error {
				n, err := tx.ReserveAddress(ctx, "192.0.2.7", tx.Now().Add(-time.Minute))
				counts = append(counts, n)
				return err
			})
		}
		var other, afterRelease int
		db.Update(ctx, func(tx *store.Tx) (err error) {
			other, err = tx.ReserveAddress(ctx, "198.51.100.1", tx.Now().Add(-time.Minute))
			if err == nil {
				err = tx.ReleaseAddress(ctx, "198.51.100.1", tx.Now())
			}
			return err
		})
		db.Update(ctx, func(tx *store.Tx) (err error) {
			afterRelease, err = tx.ReserveAddress(ctx, "198.51.100.1", tx.Now().Add(-time.Minute))
			return err
		})
		if fmt.Sprint(counts) != "[1 2 3]" || other != 1 || afterRelease != 1 {
			t.Errorf("attempt counts %v, other address %d, after a release %d", counts, other, afterRelease)
		}
		// The account's count: a lock stops the counting.
		lockAt := func(n int, now time.Time) time.Time {
			if n == 2 {
				return now.Add(time.Hour)
			}
			return time.Time{}
		}
		var oks []bool
		for range 3 {
			db.Update(ctx, func(tx *store.Tx) error {
				ok, _, err := tx.ReserveAttempt(ctx, u.ID, lockAt)
				oks = append(oks, ok)
				return err
			})
		}
		if fmt.Sprint(oks) != "[true true false]" {
			t.Errorf("reservations %v, want the third refused by the lock the second set", oks)
		}
		later := db.Now().Add(2 * time.Hour)
		db.Now = func() time.Time { return later }
		db.View(ctx, func(tx *store.Tx) error {
			if ok, _ := tx.BreakGlassActive(ctx, u.ID, c.ID); ok {
				t.Error("break-glass still active after it expired")
			}
			return nil
		})
	})
}

// TestAudit_ConcurrentAppendsChain appends from many goroutines at once:
// the entries are numbered without gaps and their hashes chain.
func TestAudit_ConcurrentAppendsChain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					e := audit.Entry{Actor: "lena@ngo.example", Role: "caseworker", Via: "api", Action: "case.read",
						Outcome: audit.Allowed, CaseRef: "SN-2026-0001", Detail: string(rune('a' + i))}
					if err := db.Update(ctx, func(tx *store.Tx) error { return tx.AppendAudit(ctx, &e) }); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		var es []audit.Entry
		db.View(ctx, func(tx *store.Tx) (err error) { es, err = tx.AuditEntries(ctx, store.AuditFilter{}); return err })
		if r := audit.Verify("", es, nil); !r.OK() || r.Entries != 80 || es[79].Seq != 80 {
			t.Errorf("%d entries: %+v", len(es), r)
		}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.ExecForTest(ctx, `UPDATE audit_log SET actor = 'x' WHERE seq = 3`) })
		if err == nil {
			t.Error("an audit entry was changed")
		}
		var some []audit.Entry
		db.View(ctx, func(tx *store.Tx) (err error) {
			some, err = tx.AuditEntries(ctx, store.AuditFilter{Action: "case.", AfterSeq: 70, Limit: 5})
			return err
		})
		if len(some) != 5 || some[0].Seq != 71 {
			t.Errorf("filtered: %+v", some)
		}
	})
}

// TestRecoveryCodes_KeyedHash: a code works once, typed in any case and
// spacing, and the database keeps neither the code nor its plain SHA-256.
func TestRecoveryCodes_KeyedHash(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser(t, ctx, db, "lena@ngo.example")
		const code = "ABCDE-FGHJK"
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.ReplaceRecoveryCodes(ctx, u.ID, []string{code}) }); err != nil {
			t.Fatal(err)
		}
		dump := storetest.Dump(t, db)
		plain := sha256.Sum256([]byte("recovery:ABCDEFGHJK"))
		for _, s := range []string{"ABCDEFGHJK", code, hex.EncodeToString(plain[:])} {
			if bytes.Contains(dump, []byte(s)) {
				t.Errorf("the dump holds %q", s)
			}
		}
		for i, want := range []bool{true, false} {
			var ok bool
			err := db.Update(ctx, func(tx *store.Tx) (err error) { ok, err = tx.UseRecoveryCode(ctx, u.ID, "abcde fghjk"); return err })
			if err != nil || ok != want {
				t.Errorf("use %d: %v, %v; want %v", i+1, ok, err, want)
			}
		}
	})
}
