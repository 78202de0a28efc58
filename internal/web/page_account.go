package web

import (
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// pageAccount shows a staff member's sessions, passkeys and API tokens.
func pageAccount(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := accountData(a, r, opt)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "account", data)
	})
}

func accountData(a *app.App, r *http.Request, opt Options) (map[string]any, error) {
	ctx := r.Context()
	p, _ := sanctuary.PrincipalFrom(ctx)
	sessions, err := a.Sessions(ctx, sessionToken(r, opt))
	if err != nil {
		return nil, err
	}
	keys, err := a.Passkeys(ctx)
	if err != nil {
		return nil, err
	}
	tokens, err := a.APITokens(ctx)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Sessions": sessions, "Passkeys": keys, "Tokens": tokens, "Scopes": app.ScopesFor(p.Role)}, nil
}

func pageTokenCreate(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		days, err := strconv.Atoi(r.PostFormValue("days"))
		if err != nil {
			days = 0
		}
		n := app.NewAPIToken{Name: r.PostFormValue("name"), Scopes: r.PostForm["scope"], TTL: time.Duration(days) * 24 * time.Hour}
		_, token, err := a.CreateAPIToken(r.Context(), n)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "token_created", map[string]string{"Token": token})
	})
}

func pageTokenRevoke(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		if err == nil {
			err = a.RevokeAPIToken(r.Context(), id)
		} else {
			err = sanctuary.Errorf(sanctuary.EINVALID, "no such token")
		}
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}

func pagePasskeyAddFinish(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		b, err := readPasskeyBody(r)
		if err != nil {
			return err
		}
		if _, err := a.FinishPasskeyRegistration(r.Context(), sessionToken(r, opt), b.Name, b.Credential); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]string{"next": "/account"})
	})
}

func pagePasskeyRemove(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := hex.DecodeString(r.PostFormValue("id"))
		if err == nil {
			err = a.DeletePasskey(r.Context(), id)
		} else {
			err = sanctuary.Errorf(sanctuary.EINVALID, "no such passkey")
		}
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}
