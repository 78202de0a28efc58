package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"image/png"
	"io"
	"log/slog"
	"net/http"

	"github.com/pquerna/otp"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/app"
	"github.com/sanctuary-platform/sanctuary/internal/store"
)

// setSession hands the browser its session cookie: HttpOnly, SameSite
// Strict, Secure and __Host- prefixed over HTTPS, and with no expiry of
// its own (the server ends sessions).
func setSession(w http.ResponseWriter, opt Options, token string) {
	http.SetCookie(w, &http.Cookie{Name: opt.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: opt.Secure, SameSite: http.SameSiteStrictMode})
}

func clearSession(w http.ResponseWriter, opt Options) {
	http.SetCookie(w, &http.Cookie{Name: opt.cookieName(), Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		Secure: opt.Secure, SameSite: http.SameSiteStrictMode})
}

func sessionToken(r *http.Request, opt Options) string {
	if c, err := r.Cookie(opt.cookieName()); err == nil {
		return c.Value
	}
	return ""
}

func pageHome(log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { render(w, r, log, http.StatusOK, "home", nil) })
}

func pageLogin(log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := sanctuary.PrincipalFrom(r.Context()); ok {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		render(w, r, log, http.StatusOK, "login", nil)
	})
}

// pageLoginPost checks the password and moves on to the second factor.
func pageLoginPost(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		s, err := a.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientAddress(r, opt))
		if err != nil {
			formPage(w, r, log, "login", nil, err)
			return
		}
		setSession(w, opt, s.Token)
		next := "/login/second-factor"
		if s.Stage == store.StageEnroll {
			next = "/login/enroll"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

func pageSecondFactor(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.PendingSignIn(r.Context(), sessionToken(r, opt))
		if err != nil || p.Stage != store.StageSecondFactor {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		render(w, r, log, http.StatusOK, "second_factor", p)
	})
}

// pageFactorPost completes a sign-in with a TOTP or recovery code.
func pageFactorPost(a *app.App, log *slog.Logger, opt Options, recovery bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		token, code, addr := sessionToken(r, opt), r.PostFormValue("code"), clientAddress(r, opt)
		var s app.SignIn
		var err error
		if recovery {
			s, _, err = a.UseRecoveryCode(r.Context(), token, code, addr)
		} else {
			s, err = a.VerifyTOTP(r.Context(), token, code, addr)
		}
		if err != nil {
			p, perr := a.PendingSignIn(r.Context(), token)
			if perr != nil {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			formPage(w, r, log, "second_factor", p, err)
			return
		}
		setSession(w, opt, s.Token)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

// totpForm is the data of the page that enrols an authenticator app.
type totpForm struct {
	Setup  bool
	Email  string
	Action string
	Secret string
	QR     template.URL
}

// qrDataURL renders the otpauth URL as a PNG QR code in a data: URL (the
// page's policy allows images from data: and from here only).
func qrDataURL(otpURL string) (template.URL, error) {
	k, err := otp.NewKeyFromURL(otpURL)
	if err != nil {
		return "", err
	}
	img, err := k.Image(200, 200)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

func pageEnroll(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.PendingSignIn(r.Context(), sessionToken(r, opt))
		if err != nil || p.Stage != store.StageEnroll {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		f, err := newTOTPForm(p.User.Email, "/login/enroll", false)
		if err != nil {
			renderError(w, r, log, err)
			return
		}
		render(w, r, log, http.StatusOK, "totp_form", f)
	})
}

func newTOTPForm(email, action string, setup bool) (totpForm, error) {
	k, err := account.NewTOTP(email)
	if err != nil {
		return totpForm{}, err
	}
	qr, err := qrDataURL(k.URL)
	return totpForm{Setup: setup, Email: email, Action: action, Secret: k.Secret, QR: qr}, err
}

// refill rebuilds the enrolment form around the secret the person already
// scanned, after a refused submission.
func refill(email, action, secret string, setup bool) totpForm {
	k := totpURL(email, secret)
	qr, _ := qrDataURL(k)
	return totpForm{Setup: setup, Email: email, Action: action, Secret: secret, QR: qr}
}

func pageEnrollPost(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		token := sessionToken(r, opt)
		secret := r.PostFormValue("secret")
		s, codes, err := a.EnrollTOTP(r.Context(), token, secret, r.PostFormValue("code"))
		if err != nil {
			p, perr := a.PendingSignIn(r.Context(), token)
			if perr != nil {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			formPage(w, r, log, "totp_form", refill(p.User.Email, "/login/enroll", secret, false), err)
			return
		}
		setSession(w, opt, s.Token)
		render(w, r, log, http.StatusOK, "recovery_codes", map[string]any{"Codes": codes, "Next": "/"})
	})
}

// passkeyBody is what passkey.js posts when a ceremony finishes.
type passkeyBody struct {
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

func readPasskeyBody(r *http.Request) (passkeyBody, error) {
	var b passkeyBody
	err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&b)
	if err != nil {
		return b, sanctuary.Errorf(sanctuary.EINVALID, "not a passkey answer")
	}
	return b, nil
}

// pagePasskeyBegin answers passkey.js with the options of a WebAuthn
// ceremony that begin starts in the browser's session (a sign-in, or
// adding a passkey).
func pagePasskeyBegin(log *slog.Logger, opt Options, begin func(context.Context, string) ([]byte, error)) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		opts, err := begin(r.Context(), sessionToken(r, opt))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json")
		_, err = w.Write(opts)
		return err
	})
}

func pagePasskeyLoginFinish(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return handle(log, func(w http.ResponseWriter, r *http.Request) error {
		b, err := readPasskeyBody(r)
		if err != nil {
			return err
		}
		s, err := a.FinishPasskeyLogin(r.Context(), sessionToken(r, opt), b.Credential, clientAddress(r, opt))
		if err != nil {
			return err
		}
		setSession(w, opt, s.Token)
		return writeJSON(w, http.StatusOK, map[string]string{"next": "/"})
	})
}

func pageLogout(a *app.App, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.Logout(r.Context(), sessionToken(r, opt))
		clearSession(w, opt)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
}

// pageLogoutEverywhere ends every session of the account, and revokes its
// API tokens too when the box "tokens" is ticked.
func pageLogoutEverywhere(a *app.App, log *slog.Logger, opt Options) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := a.LogoutEverywhere(r.Context(), r.PostFormValue("tokens") == "1"); err != nil {
			renderError(w, r, log, err)
			return
		}
		clearSession(w, opt)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
}
