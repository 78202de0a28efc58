package web

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/app"
)

// access is who may call a route: the row of the authorization table that
// the authorization matrix test checks every route against. The decision
// itself is the app's (authz.go); the web layer only turns away callers
// who are not signed in at all.
type access struct {
	// set marks a row that was written: the zero access is no row at all,
	// which the authorization matrix test refuses.
	set bool
	// public: anyone, signed in or not.
	public bool
	// roles may call it; nil (and not public): anyone signed in.
	roles []sanctuary.Role
	// perCase: only on a case of their own (its team, or its client).
	perCase bool
	// asset: a public file that needs no session looked up.
	asset bool
}

var (
	public   = access{set: true, public: true}
	asset    = access{set: true, public: true, asset: true}
	signedIn = access{set: true}
)

func roles(rs ...sanctuary.Role) access  { return access{set: true, roles: rs} }
func teamOf(rs ...sanctuary.Role) access { return access{set: true, roles: rs, perCase: true} }

// withAPIAuth admits an API request with a valid bearer token ("Authorization:
// Bearer snt_..."). The API takes no cookies: a browser's session cannot
// be ridden into it.
func withAPIAuth(a *app.App, ac access, next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ac.public {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sanctuary"`)
			writeError(w, r, log, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "send an API token: Authorization: Bearer snt_..."))
			return
		}
		p, err := a.AuthenticateAPIToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sanctuary", error="invalid_token"`)
			writeError(w, r, log, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(sanctuary.WithPrincipal(r.Context(), p)))
	})
}

type csrfKey struct{}

// csrfFrom returns the CSRF token of the request's session.
func csrfFrom(ctx context.Context) string { s, _ := ctx.Value(csrfKey{}).(string); return s }

// withBrowserAuth reads the session cookie of a browser route. A route
// that is not public sends a visitor without a session to the sign-in
// page; a state-changing request must carry the session's CSRF token (as
// the form field csrf or the header X-CSRF-Token), or, without a session,
// the pre-session token of its cookie (presession.go). Cross-origin
// state-changing requests are refused before this, by the standard
// library's CrossOriginProtection.
func withBrowserAuth(a *app.App, ac access, next http.Handler, opt Options, log *slog.Logger) http.Handler {
	if ac.asset {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rememberLanguage(w, r, opt)
		ctx := r.Context()
		if c, err := r.Cookie(opt.cookieName()); err == nil {
			if p, csrf, err := a.Authenticate(ctx, c.Value); err == nil {
				ctx = context.WithValue(sanctuary.WithPrincipal(ctx, p), csrfKey{}, csrf)
			}
		}
		_, signed := sanctuary.PrincipalFrom(ctx)
		if !signed {
			ctx = withPreSession(ctx, r, opt)
		}
		switch {
		case !ac.public && !signed && r.Method == http.MethodGet:
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		case !ac.public && !signed:
			renderError(w, r.WithContext(ctx), log, sanctuary.Errorf(sanctuary.EUNAUTHORIZED, "sign in first"))
			return
		case signed && !ac.public && ac.roles != nil && clientOutside(ctx, ac):
			renderError(w, r.WithContext(ctx), log, sanctuary.Errorf(sanctuary.EFORBIDDEN, "an invitation opens only the client's own pages"))
			return
		case signed && unsafeMethod(r.Method) && !csrfOK(r, csrfFrom(ctx)),
			!signed && unsafeMethod(r.Method) && !csrfOK(r, preCookie(r, opt)):
			refuseForm(w, r.WithContext(ctx), log)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientOutside reports a client's session on a route that is not for
// clients: an invitation link can leak, so its session reaches only the
// client's own pages, whatever the app would allow the client elsewhere.
func clientOutside(ctx context.Context, ac access) bool {
	p, _ := sanctuary.PrincipalFrom(ctx)
	return p.Role == sanctuary.RoleClient && !slices.Contains(ac.roles, sanctuary.RoleClient)
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// csrfOK compares the request's CSRF token with the session's in constant
// time. A multipart form carries it in the URL query (?csrf=), so that
// the token is checked before the upload is read.
func csrfOK(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.URL.Query().Get("csrf")
	}
	if got == "" && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.Body = http.MaxBytesReader(nil, r.Body, MaxBodyBytes)
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// clientAddress is the address a request came from: the peer, or, behind
// a TLS proxy, the last address the proxy added to X-Forwarded-For.
func clientAddress(r *http.Request, opt Options) string {
	if opt.BehindProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
