package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
	"github.com/sanctuary-platform/sanctuary/internal/store/storetest"
	"github.com/sanctuary-platform/sanctuary/internal/web"
)

// BenchmarkAPICaseRead reads one case record over the API, in process:
// token check, permission check, the read, the audit entry, the JSON. Its
// sub-benchmarks time the parts, so the share of each can be computed.
func BenchmarkAPICaseRead(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, db *store.DB) {
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		a := app.New(db, mustPack(b), log)
		h := web.NewHandler(a, log, web.Options{})
		token := staffToken(b, db, a, lena, sanctuary.RoleCaseworker)
		p, err := a.AuthenticateAPIToken(context.Background(), token)
		if err != nil {
			b.Fatal(err)
		}
		ctx := sanctuary.WithPrincipal(context.Background(), p)
		c, err := a.CreateCase(ctx, app.NewCase{Person: matrixPerson(), Destinations: []string{"DE"}})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("request", func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", "/api/v1/cases/"+c.Reference, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
		b.Run("token", func(b *testing.B) {
			for b.Loop() {
				if _, err := a.AuthenticateAPIToken(context.Background(), token); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("use-case", func(b *testing.B) { // permission check, read and audit entry
			for b.Loop() {
				if _, err := a.GetCase(ctx, c.Reference); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("store-read", func(b *testing.B) { // the read alone
			for b.Loop() {
				err := db.View(ctx, func(tx *store.Tx) error {
					_, err := tx.CaseByReference(ctx, c.Reference)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
