package web

import "net/url"

// totpURL is the otpauth URL of an existing secret, as an authenticator
// app reads it.
func totpURL(email, secret string) string {
	q := url.Values{"secret": {secret}, "issuer": {"Sanctuary"}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape("Sanctuary:"+email) + "?" + q.Encode()
}
