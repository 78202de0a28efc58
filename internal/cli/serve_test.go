package cli_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sanctuary-platform/sanctuary/internal/account"
	"github.com/sanctuary-platform/sanctuary/internal/cli"
)

// startServe runs "sanctuary serve" with the arguments on a free loopback
// port and returns its base URL; the server stops when the test ends.
func startServe(t *testing.T, s *sanctuary, client *http.Client, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := cli.Main(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), func(k string) string { return s.env[k] },
			strings.NewReader(""), pw, io.Discard)
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d after cancel, want 0", code)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, pr)
	base := regexp.MustCompile(`https?://localhost:[0-9]+`).FindString(line)
	if base == "" {
		t.Fatalf("serve printed %q, no URL", line)
	}
	waitHealthy(t, client, base)
	return base
}

// TestServe_EndToEnd starts the real server, makes an API token with the
// CLI, opens a case over HTTP with it, reads it back, and is turned away
// without it.
func TestServe_EndToEnd(t *testing.T) {
	s := newSanctuary(t, "")
	base := startServe(t, s, http.DefaultClient)
	s.finishSetup(t, base, http.DefaultClient)
	token := strings.TrimSpace(s.ok("token", "create", "--name", "test", "--scope", "cases:read,cases:write"))
	call := func(method, path, body string, auth bool) *http.Response {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := call("POST", "/api/v1/cases", `{"person":{"name_cyrillic":{"given":"Олег"}},"destinations":["FI"]}`, true)
	var created struct{ Reference string }
	json.NewDecoder(res.Body).Decode(&created)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || created.Reference == "" {
		t.Fatalf("create: %d %+v", res.StatusCode, created)
	}
	if res := call("GET", "/api/v1/cases/"+created.Reference, "", true); res.StatusCode != http.StatusOK {
		t.Fatalf("get: %d", res.StatusCode)
	}
	if res := call("GET", "/api/v1/cases/"+created.Reference, "", false); res.StatusCode != http.StatusUnauthorized ||
		!strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("without a token: %d %q", res.StatusCode, res.Header.Get("WWW-Authenticate"))
	}
}

func waitHealthy(t *testing.T, client *http.Client, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("/healthz never answered")
}

// finishSetup does what the tester would in a browser: opens their setup
// link, reads the TOTP secret off the page, and sends a password and the
// current code.
func (s *sanctuary) finishSetup(t *testing.T, base string, client *http.Client) {
	t.Helper()
	path := s.setupLink[strings.Index(s.setupLink, "/setup/"):]
	res, err := client.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindSubmatch(page)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("setup page: %d\n%s", res.StatusCode, page)
	}
	code, _ := account.TOTPCode(string(m[1]), time.Now())
	form := url.Values{"secret": {string(m[1])}, "password": {"correct horse battery staple"},
		"password2": {"correct horse battery staple"}, "code": {code}}
	res, err = postWithPreSession(client, base+path, form, preSessionCookie(t, res))
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "class=\"codes\"") {
		t.Fatalf("setup: %d\n%s", res.StatusCode, page)
	}
}

// TestServe_TLS serves HTTPS from certificate files: the pages send HSTS
// and the session cookie is Secure and __Host- prefixed.
func TestServe_TLS(t *testing.T) {
	s := newSanctuary(t, "")
	dir := t.TempDir()
	certPEM, keyPEM, pool := selfSigned(t)
	os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := startServe(t, s, client, "--tls-cert", filepath.Join(dir, "cert.pem"), "--tls-key", filepath.Join(dir, "key.pem"))
	if !strings.HasPrefix(base, "https://localhost:") {
		t.Fatalf("base %s", base)
	}
	s.finishSetup(t, base, client)
	res, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	pre := preSessionCookie(t, res)
	if pre.Name != "__Host-sanctuary-csrf" || !pre.Secure {
		t.Errorf("the pre-session cookie over TLS: %s, Secure %v", pre.Name, pre.Secure)
	}
	res, err = postWithPreSession(client, base+"/login", url.Values{"email": {tester}, "password": {"correct horse battery staple"}}, pre)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if sc := res.Header.Get("Set-Cookie"); !strings.HasPrefix(sc, "__Host-sanctuary=") || !strings.Contains(sc, "Secure") {
		t.Errorf("cookie over TLS: %q", sc)
	}
	if h := res.Header.Get("Strict-Transport-Security"); h == "" {
		t.Error("no HSTS over TLS")
	}
	if res, err := http.Get(strings.Replace(base, "https", "http", 1) + "/healthz"); err == nil && res.StatusCode == http.StatusOK {
		t.Error("the TLS port serves plain HTTP")
	}
}

// selfSigned makes a certificate for localhost and 127.0.0.1.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), pool
}

// preSessionCookie is the pre-session CSRF cookie a page without a session
// set, which the forms before a sign-in must match.
func preSessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if strings.HasSuffix(c.Name, "sanctuary-csrf") {
			return c
		}
	}
	t.Fatalf("no pre-session cookie in %q", res.Header.Values("Set-Cookie"))
	return nil
}

// postWithPreSession posts a form as a browser without a session posts the
// page's form: with the pre-session cookie and its token in the form.
func postWithPreSession(client *http.Client, u string, form url.Values, pre *http.Cookie) (*http.Response, error) {
	form.Set("csrf", pre.Value)
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(pre)
	return client.Do(req)
}
