package web

import (
	"net/http"
	"net/url"

	"github.com/sanctuary-platform/sanctuary"
)

// totpURL is the otpauth URL of an existing secret, as an authenticator
// app reads it.
func totpURL(email, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {"Sanctuary"}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape("Sanctuary:"+email) + "?" + q.Encode()
}

// parseForm reads a posted form of at most MaxBodyBytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return sanctuary.Errorf(sanctuary.EINVALID, "the form cannot be read")
	}
	return nil
}
