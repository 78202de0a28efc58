// Package sanctuary holds the vocabulary every layer of Sanctuary shares: the
// one error type with its codes, and the acting person carried in a context.
//
// Everything else lives under internal/: domain packages (casefile, ...) with
// pure logic, the app layer of use cases, the store, the web server and the
// CLI. See DESIGN.md next to the repository for the map.
package sanctuary

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. They are stable strings: the API returns them, scripts match on
// them, and the CLI maps each to an exit code (internal/cli) as the web layer
// maps each to an HTTP status (internal/web). Add new ones at the end.
const (
	EINVALID      = "invalid"                // the input is wrong; Fields says where
	ENOTFOUND     = "not_found"              // the named thing does not exist
	ECONFLICT     = "conflict"               // the request clashes with the current state
	ETOOLARGE     = "too_large"              // the input exceeds a size limit
	EUNAUTHORIZED = "unauthorized"           // no valid identity was presented
	EFORBIDDEN    = "forbidden"              // the identity may not do this
	EUNAVAILABLE  = "unavailable"            // a dependency (database) is not reachable
	EINTERNAL     = "internal"               // a bug or an unexpected failure
	EUNSUPPORTED  = "unsupported_media_type" // the request body is not of an accepted type
)

// Error is the one error type of Sanctuary.
//
// Message (and each entry of Fields) is safe to show to the person who made
// the request: it never contains client data that person did not send, nor
// internal details. Err is the cause, for the log only.
type Error struct {
	Code    string
	Message string
	// Fields maps a field path (such as "person.birth_date" or
	// "facts[2].value") to what is wrong with it. Validation fills in every
	// problem at once.
	Fields map[string]string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if len(e.Fields) > 0 {
		b.WriteString(": ")
		b.WriteString(e.FieldSummary())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// FieldSummary renders Fields as "a: msg; b: msg", sorted by field.
func (e *Error) FieldSummary() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing every field problem.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// Internal wraps an unexpected failure. The message shown is generic; the
// cause is kept for the log.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "internal error", Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the first *Error in err's chain, or wraps err as EINTERNAL.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}
