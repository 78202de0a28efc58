package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"

	"github.com/sanctuary-platform/sanctuary"
)

// Before a sign-in there is no session whose CSRF token a form could
// carry, yet the sign-in, second-factor, passkey, enrolment, setup and
// invitation forms change state: a forged post could sign a person into
// an attacker's account, or spend their invitation. Those forms carry a
// pre-session token instead (double submit): the first page a browser
// without a session gets sets a random cookie, HttpOnly, SameSite=Strict,
// for the browser's session only (__Host- prefixed and Secure over
// HTTPS, so no other host can plant one), and its forms hold the same
// value; a post without a session must bring both, equal. Another site
// can neither read the cookie nor set it, so it cannot fill in the field.

// preTokenBytes is the size of a pre-session token.
const preTokenBytes = 32

func (o Options) preCookieName() string {
	if o.Secure {
		return "__Host-sanctuary-csrf"
	}
	return "sanctuary-csrf"
}

// preSession is the pre-session token of a request without a session:
// the browser's, or a new one whose cookie is set when a page is
// rendered (so that answers without a form set none).
type preSession struct {
	token  string
	cookie *http.Cookie // to set; nil once set, or when the browser has it
}

type preKey struct{}

// withPreSession gives a request without a session its pre-session
// token.
func withPreSession(ctx context.Context, r *http.Request, opt Options) context.Context {
	if t := preCookie(r, opt); t != "" {
		return context.WithValue(ctx, preKey{}, &preSession{token: t})
	}
	b := make([]byte, preTokenBytes)
	rand.Read(b) // never fails (crypto/rand)
	t := hex.EncodeToString(b)
	c := &http.Cookie{Name: opt.preCookieName(), Value: t, Path: "/", HttpOnly: true, Secure: opt.Secure,
		SameSite: http.SameSiteStrictMode}
	return context.WithValue(ctx, preKey{}, &preSession{token: t, cookie: c})
}

// preCookie is the request's pre-session token, or "" if it has none of
// the right form.
func preCookie(r *http.Request, opt Options) string {
	c, err := r.Cookie(opt.preCookieName())
	if err != nil || len(c.Value) != 2*preTokenBytes || strings.Trim(c.Value, "0123456789abcdef") != "" {
		return ""
	}
	return c.Value
}

// pageCSRF is the CSRF token for the forms of the page being rendered:
// the session's, or the pre-session one, whose cookie it sets if the
// browser does not have it yet.
func pageCSRF(w http.ResponseWriter, r *http.Request) string {
	if t := csrfFrom(r.Context()); t != "" {
		return t
	}
	ps, _ := r.Context().Value(preKey{}).(*preSession)
	if ps == nil {
		return ""
	}
	if ps.cookie != nil {
		http.SetCookie(w, ps.cookie)
		ps.cookie = nil
	}
	return ps.token
}

// refuseForm answers a state-changing request whose CSRF token is
// missing or wrong with a page that says what happened and what to do.
func refuseForm(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
	v := view{Lang: pageLanguage(r), Path: r.URL.Path, CSRF: pageCSRF(w, r), Data: "/"}
	v.Principal, v.Signed = sanctuary.PrincipalFrom(r.Context())
	switch {
	case v.Signed:
	case strings.HasPrefix(r.URL.Path, "/login"):
		v.Data = "/login" // the second factor's forms post to paths of their own
	default:
		v.Data = r.URL.Path // the setup and invitation pages are at the path they post to
	}
	renderView(w, r, log, http.StatusForbidden, "form_expired", v)
}
