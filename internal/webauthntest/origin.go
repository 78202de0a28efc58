package webauthntest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// resolveRPID applies the checks a browser makes before it talks to an authenticator
// (WebAuthn §5.1.3 steps 5-8, §5.1.4.1 steps 6-8) and returns the RP ID to use:
//
//   - origin must be a tuple origin, scheme://host[:port], with no path, query or fragment;
//   - it must be a secure context: https, or http on localhost, *.localhost or a loopback IP;
//   - an empty rpID defaults to the origin's host;
//   - the RP ID must not be an IP address, and must equal the host or be a domain suffix of it.
//
// The public suffix list is not consulted. Failures wrap [ErrSecurity].
func resolveRPID(origin, rpID string) (string, error) {
	u, err := url.Parse(origin)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: %q is not an origin (scheme://host[:port])", ErrSecurity, origin)
	}
	host := strings.ToLower(u.Hostname())
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(host) {
			return "", fmt.Errorf("%w: %q is not a secure context (http is only allowed for localhost)", ErrSecurity, origin)
		}
	default:
		return "", fmt.Errorf("%w: origin %q has scheme %q, want https or http", ErrSecurity, origin, u.Scheme)
	}
	if rpID == "" {
		rpID = host
	}
	id := strings.ToLower(rpID)
	if net.ParseIP(strings.Trim(id, "[]")) != nil {
		return "", fmt.Errorf("%w: RP ID %q is an IP address; browsers require a domain (use localhost)", ErrSecurity, rpID)
	}
	if id != host && !strings.HasSuffix(host, "."+id) {
		return "", fmt.Errorf("%w: RP ID %q is not the host of origin %q or a suffix of it", ErrSecurity, rpID, origin)
	}
	return rpID, nil
}

// isLoopback reports whether an http origin with this (lower-case) host is a potentially
// trustworthy origin in the sense of the Secure Contexts specification.
func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
