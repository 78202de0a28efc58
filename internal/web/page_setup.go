package web

import (
	"log/slog"
	"net/http"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// pageSetup shows the one-time setup page of an account: a password and
// an authenticator app, both required.
func pageSetup(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		s, err := a.BeginSetup(r.Context(), token)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		f, err := newTOTPForm(s.Email, "/setup/"+token, true)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "totp_form", f)
	})
}

func pageSetupPost(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		token, secret := r.PathValue("token"), r.PostFormValue("secret")
		s, err := a.BeginSetup(r.Context(), token)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		form := refill(s.Email, "/setup/"+token, secret, true)
		pw := r.PostFormValue("password")
		if pw != r.PostFormValue("password2") {
			formPage(w, r, log, "totp_form", form, sanctuary.Invalid(t(pageLanguage(r), "passwords_differ"),
				map[string]string{"password2": t(pageLanguage(r), "passwords_differ")}))
			return
		}
		done, err := a.FinishSetup(r.Context(), token, pw, secret, r.PostFormValue("code"))
		if err != nil {
			formPage(w, r, log, "totp_form", form, err)
			return
		}
		next := "/login"
		if done.PasskeyLink != "" { // the role signs in with a passkey only: register one next
			next = "/passkey/" + done.PasskeyLink
		}
		render(w, r, log, http.StatusOK, "recovery_codes", map[string]any{"Codes": done.Codes, "Next": next,
			"PasskeyNext": done.PasskeyLink != ""})
	})
}
