package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// pagePasskeyLink shows the page of a passkey link from the operator: the
// account's password opens the registration of a passkey.
func pagePasskeyLink(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := a.PasskeyLinkAccount(r.Context(), r.PathValue("token"))
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "passkey_link", map[string]string{"Email": u.Email, "Token": r.PathValue("token")})
	})
}

// pagePasskeyLinkPost checks the password and goes on to the passkey's
// registration.
func pagePasskeyLinkPost(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		token := r.PathValue("token")
		u, err := a.PasskeyLinkAccount(r.Context(), token)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		s, err := a.OpenPasskeyLink(r.Context(), token, r.PostFormValue("password"), clientAddress(r, opt))
		if err != nil {
			formPage(w, r, log, "passkey_link", map[string]string{"Email": u.Email, "Token": token}, err)
			return
		}
		setSession(w, opt, s.Token)
		http.Redirect(w, r, "/login/passkey-enroll", http.StatusSeeOther)
	})
}

// pagePasskeyEnroll shows the registration of a passkey, the one thing a
// session opened with a passkey link can do.
func pagePasskeyEnroll(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.PendingSignIn(r.Context(), sessionToken(r, opt))
		if err != nil || p.Stage != store.StagePasskeyEnroll {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		render(w, r, log, http.StatusOK, "passkey_enroll", p)
	})
}

// pagePasskeyEnrollFinish keeps the new passkey and completes the sign-in.
func pagePasskeyEnrollFinish(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		b, err := readPasskeyBody(r)
		if err != nil {
			return err
		}
		s, err := a.FinishPasskeyEnrolment(r.Context(), sessionToken(r, opt), b.Name, b.Credential)
		if err != nil {
			return err
		}
		setSession(w, opt, s.Token)
		return writeJSON(w, http.StatusOK, map[string]string{"next": "/"})
	})
}
