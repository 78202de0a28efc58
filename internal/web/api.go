package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"github.com/sanctuary-platform/sanctuary"
	"github.com/sanctuary-platform/sanctuary/internal/casefile"
)

// MaxBodyBytes is the largest JSON request body accepted.
const MaxBodyBytes = 1 << 20

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle turns a handlerFunc into an http.Handler that renders its error.
func handle(log *slog.Logger, f handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			writeError(w, r, log, err)
		}
	})
}

// statusOf maps an error code to its HTTP status. This is the only place
// that does.
func statusOf(code string) int {
	switch code {
	case sanctuary.EINVALID:
		return http.StatusBadRequest
	case sanctuary.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case sanctuary.EFORBIDDEN:
		return http.StatusForbidden
	case sanctuary.ENOTFOUND:
		return http.StatusNotFound
	case sanctuary.ECONFLICT:
		return http.StatusConflict
	case sanctuary.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case sanctuary.EUNSUPPORTED:
		return http.StatusUnsupportedMediaType
	case sanctuary.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := sanctuary.AsError(err)
	writeErrorStatus(w, r, log, statusOf(e.Code), e)
}

// writeErrorStatus renders e with the status. Causes of server errors are
// logged, never sent.
func writeErrorStatus(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, e *sanctuary.Error) {
	if status >= 500 {
		log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("route", r.Pattern), slog.String("code", e.Code), slog.String("err", errText(e.Err)))
	}
	writeJSON(w, status, errorBody{errorDetail{Code: e.Code, Message: e.Message, Fields: e.Fields}})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// writeJSON writes v as the JSON response body.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return sanctuary.Internal(fmt.Errorf("web: encode response: %w", err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
	return nil
}

// decode reads the JSON request body into v: one JSON value of at most
// MaxBodyBytes, of media type application/json, with no field that v does
// not have. Its errors name the field at fault.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return sanctuary.Errorf(sanctuary.EUNSUPPORTED, "the request body must be JSON, sent as Content-Type: application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return decodeError(err)
		}
		return sanctuary.Errorf(sanctuary.EINVALID, "the request body must hold one JSON value and nothing after it")
	}
	return nil
}

func decodeError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return sanctuary.Errorf(sanctuary.ETOOLARGE, "the request body is larger than %d bytes", MaxBodyBytes)
	case errors.Is(err, io.EOF):
		return sanctuary.Errorf(sanctuary.EINVALID, "the request body is empty; it must be a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return sanctuary.Errorf(sanctuary.EINVALID, "the request body is cut short: not complete JSON")
	case errors.As(err, &syn):
		return sanctuary.Errorf(sanctuary.EINVALID, "the request body is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		return sanctuary.Invalid("the request has a value of the wrong type", map[string]string{field: expected(typ.Type)})
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return sanctuary.Invalid("the request has a field this API does not know",
			map[string]string{strings.Trim(f, `"`): "unknown field"})
	}
	return sanctuary.Errorf(sanctuary.EINVALID, "the request body cannot be read as JSON")
}

// jsonPath turns the decoder's field path into the JSON one: the decoder
// names embedded Go structs (person.Identity.birth_date), and JSON field
// names in this API are never capitalised, so such segments are dropped.
func jsonPath(field string) string {
	var parts []string
	for _, p := range strings.Split(field, ".") {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "body"
	}
	return strings.Join(parts, ".")
}

// expected says what a value of Go type t looks like in JSON.
func expected(t reflect.Type) string {
	if t == reflect.TypeFor[casefile.Date]() {
		return "must be a real date in the form YYYY-MM-DD"
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be a whole number"
	case reflect.Slice, reflect.Array:
		return "must be an array"
	case reflect.Struct, reflect.Map:
		return "must be an object"
	}
	return "has the wrong type"
}
