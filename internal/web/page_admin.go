package web

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// signInPolicyView is the admin page of the sign-in policy: each staff
// role, whether it must sign in with a passkey, and the accounts that
// must and have none yet.
type signInPolicyView struct {
	Roles   []rolePolicy
	Missing []account.User
}

type rolePolicy struct {
	Role     sanctuary.Role
	Required bool
}

func policyView(pol app.PasskeyPolicy) signInPolicyView {
	v := signInPolicyView{Missing: pol.Missing}
	for _, r := range sanctuary.StaffRoles() {
		v.Roles = append(v.Roles, rolePolicy{Role: r, Required: slices.Contains(pol.Required, r)})
	}
	return v
}

// pageSignInPolicy shows the sign-in policy to an admin.
func pageSignInPolicy(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pol, err := a.PasskeyPolicy(r.Context())
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "admin_signin", policyView(pol))
	})
}

// pageSignInPolicyPost requires passkeys of one role (required=1) or
// stops requiring them (required=0).
func pageSignInPolicyPost(a *app.App, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseForm(w, r); err != nil {
			renderError(w, r, log, err)
			return
		}
		if err := missingFields(r.PostForm, []string{"role", "required"}); err != nil {
			renderError(w, r, log, err)
			return
		}
		_, err := a.RequirePasskeys(r.Context(), sanctuary.Role(r.PostForm.Get("role")), r.PostForm.Get("required") == "1")
		if err == nil {
			http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
			return
		}
		pol, perr := a.PasskeyPolicy(r.Context())
		if perr != nil {
			renderError(w, r, log, err)
			return
		}
		formPage(w, r, log, "admin_signin", policyView(pol), err)
	})
}
