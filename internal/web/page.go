package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/sanctuary-platform/sanctuary"
)

//go:embed assets/pages/*.html
var pageFiles embed.FS

//go:embed assets/static
var staticFiles embed.FS

// pages holds each page's template, parsed with the layout and the
// partials (files named _*.html) at start-up.
var pages = func() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(pageFuncs).ParseFS(pageFiles, "assets/pages/layout.html", "assets/pages/_*.html"))
	names, err := fs.Glob(pageFiles, "assets/pages/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(pageFiles, n))
	}
	return out
}()

// pageFuncs are the functions the templates call.
var pageFuncs = template.FuncMap{
	"t":          t,
	"tn":         tn,
	"languages":  func() []string { return languages },
	"has":        slices.Contains[[]string],
	"join":       func(s []string) string { return strings.Join(s, ", ") },
	"answer":     func(row factRow, lang string) answerArgs { return answerArgs{row, lang} },
	"bytes":      humanBytes,
	"fieldLabel": fieldLabel,
	"casework":   func(p sanctuary.Principal) bool { return slices.Contains(caseworkRoles, p.Role) },
}

// fieldLabels name the fields of the forms that errors point at, by the
// message that labels them; other fields show as they are named.
var fieldLabels = map[string]string{
	"email": "email", "password": "password", "password2": "password_again", "code": "totp_code",
	"title": "doc_title", "file": "file", "body": "add_note", "due": "due", "label": "what_is_due",
	"as_of": "as_of", "compare_with": "compare_with", "destination": "destination", "assignee": "assignee",
	"name": "search_name", "kind": "kind", "document_date": "document_date", "obtained_from": "obtained_from",
	"person.birth_date": "birth_date", "person.name_latin": "name_latin", "destinations": "destinations",
	"assignees": "assignees", "to": "move_to", "reason": "reason", "language": "client_language",
}

func fieldLabel(lang, field string) string {
	if key, ok := fieldLabels[field]; ok {
		return t(lang, key)
	}
	return field
}

// caseworkRoles see the dashboard and the case list (routes.go: lister),
// so the menu offers those pages to them only.
var caseworkRoles = []sanctuary.Role{sanctuary.RoleLawyer, sanctuary.RoleCaseworker, sanctuary.RoleAdmin}

// answerArgs are what the answer partial needs: a question and the
// language.
type answerArgs struct {
	Row  factRow
	Lang string
}

// humanBytes renders a size in bytes with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// view is what every page gets: the language, who is signed in, the CSRF
// token for its forms, a message, and the page's own data.
type view struct {
	Lang      string
	Path      string
	Principal sanctuary.Principal
	Signed    bool
	CSRF      string
	Error     string
	Fields    map[string]string
	Data      any
}

// render writes a page. Its HTML is rendered into a buffer first, so a
// template error becomes a clean 500 instead of half a page.
func render(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, name string, data any) {
	v := view{Lang: pageLanguage(r), Path: r.URL.Path, CSRF: pageCSRF(w, r), Data: data}
	v.Principal, v.Signed = sanctuary.PrincipalFrom(r.Context())
	renderView(w, r, log, status, name, v)
}

// buffers are reused between pages: a case page is a few hundred
// kilobytes, and growing a new buffer to that each time costs.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func renderView(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, name string, v view) {
	buf := buffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 4<<20 {
			buf.Reset()
			buffers.Put(buf)
		}
	}()
	if err := pages[name].ExecuteTemplate(buf, "layout.html", v); err != nil {
		log.LogAttrs(r.Context(), slog.LevelError, "page failed", slog.String("page", name), slog.String("err", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderError shows an error as a page with the status of its code;
// invalid input names its fields.
func renderError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	e := sanctuary.AsError(err)
	status := statusOf(e.Code)
	if status >= 500 {
		log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("route", r.Pattern),
			slog.String("code", e.Code), slog.String("err", errText(e.Err)))
	}
	v := view{Lang: pageLanguage(r), Path: r.URL.Path, CSRF: pageCSRF(w, r), Error: e.Message, Fields: e.Fields}
	v.Principal, v.Signed = sanctuary.PrincipalFrom(r.Context())
	renderView(w, r, log, status, "error", v)
}

// formPage re-shows a form page with the error of a refused submission.
func formPage(w http.ResponseWriter, r *http.Request, log *slog.Logger, name string, data any, err error) {
	e := sanctuary.AsError(err)
	status := statusOf(e.Code)
	if status >= 500 {
		renderError(w, r, log, err)
		return
	}
	v := view{Lang: pageLanguage(r), Path: r.URL.Path, CSRF: pageCSRF(w, r), Error: e.Message, Fields: e.Fields, Data: data}
	v.Principal, v.Signed = sanctuary.PrincipalFrom(r.Context())
	renderView(w, r, log, status, name, v)
}

// static serves the embedded style sheet and scripts, and nothing else:
// a folder is not listed (404), whatever it holds.
func static() http.Handler {
	sub, err := fs.Sub(staticFiles, "assets/static")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		if fi, err := fs.Stat(sub, name); err != nil || fi.IsDir() {
			http.NotFound(w, r)
			return
		}
		http.ServeFileFS(w, r, sub, name)
	})
}
