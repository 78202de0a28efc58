package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// staff is an account the campaign made and set up, as its person would.
type staff struct {
	email, password, secret string
}

const password = "fictional campaign passphrase"

var setupLink = regexp.MustCompile(`/setup/snu_[a-z0-9]+`)

// addStaff makes an account with "sanctuary user add" and finishes its
// setup through the setup page: a password and a TOTP code made from the
// secret the page shows.
func (b *box) addStaff(ctx context.Context, base, role, email string) (staff, error) {
	out, err := b.must(ctx, "", "user", "add", "--role", role, "--name", "Campaign (fictional)", email)
	if err != nil {
		return staff{}, err
	}
	link := setupLink.FindString(out)
	if link == "" {
		return staff{}, fmt.Errorf("user add printed no setup link: %q", out)
	}
	s := staff{email: email, password: password}
	hc := browser()
	form, err := readForm(ctx, hc, base+link, link)
	if err != nil {
		return s, fmt.Errorf("setup page: %w", err)
	}
	s.secret = form.Get("secret")
	if s.secret == "" {
		return s, fmt.Errorf("the setup page shows no TOTP secret")
	}
	code, err := totpCode(s.secret, time.Now())
	if err != nil {
		return s, err
	}
	form.Set("password", password)
	form.Set("password2", password)
	form.Set("code", code)
	page, err := post(ctx, hc, base+link, form)
	if err != nil {
		return s, fmt.Errorf("setup: %w", err)
	}
	if page.status != http.StatusOK || !strings.Contains(string(page.body), `class="codes"`) {
		return s, fmt.Errorf("setup did not show recovery codes: %v", page)
	}
	return s, nil
}

// token makes an API token of the account with "sanctuary token create".
func (b *box) token(ctx context.Context, email string, scopes ...string) (string, error) {
	out, err := b.must(ctx, email, "token", "create", "--name", "campaign", "--scope", strings.Join(scopes, ","))
	if err != nil {
		return "", err
	}
	t := strings.TrimSpace(out)
	if !strings.HasPrefix(t, "snt_") {
		return "", fmt.Errorf("token create printed %q", t)
	}
	return t, nil
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so that each answer is seen as it is.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConnsPerHost: 8, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Jar: jar, Transport: tr, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn signs in on the sign-in pages with the password and a TOTP code,
// as a person in a browser does. Codes are single use: the caller waits
// for a fresh 30-second step after setup.
func (s staff) signIn(ctx context.Context, hc *http.Client, base string) error {
	form, err := readForm(ctx, hc, base+"/login", `action="/login"`)
	if err != nil {
		return fmt.Errorf("sign-in page: %w", err)
	}
	form.Set("email", s.email)
	form.Set("password", s.password)
	r, err := post(ctx, hc, base+"/login", form)
	if err != nil || r.status != http.StatusSeeOther {
		return fmt.Errorf("password: %v %v", r, err)
	}
	form, err = readForm(ctx, hc, base+"/login/second-factor", `action="/login/totp"`)
	if err != nil {
		return fmt.Errorf("second-factor page: %w", err)
	}
	code, err := totpCode(s.secret, time.Now())
	if err != nil {
		return err
	}
	form.Set("code", code)
	r, err = post(ctx, hc, base+"/login/totp", form)
	if err != nil || r.status != http.StatusSeeOther {
		return fmt.Errorf("TOTP code: %v %v", r, err)
	}
	return nil
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// readForm gets a page and returns the hidden fields of the form that
// follows marker (an error if the page has no marker).
func readForm(ctx context.Context, hc *http.Client, pageURL, marker string) (url.Values, error) {
	r, err := get(ctx, hc, pageURL)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, fmt.Errorf("GET: %v", r)
	}
	page := string(r.body)
	i := strings.Index(page, marker)
	if i < 0 {
		return nil, fmt.Errorf("no form %q on the page", marker)
	}
	page = page[i:]
	if end := strings.Index(page, "</form>"); end >= 0 {
		page = page[:end]
	}
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(page, -1) {
		form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return form, nil
}

func get(ctx context.Context, hc *http.Client, u string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return reply{}, err
	}
	return do(hc, req)
}

func post(ctx context.Context, hc *http.Client, u string, form url.Values) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(hc, req)
}

func do(hc *http.Client, req *http.Request) (reply, error) {
	res, err := hc.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, fmt.Errorf("the answer was cut off after %d bytes: %w", len(b), err)
	}
	return reply{status: res.StatusCode, body: b, header: res.Header}, nil
}
