package web

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// fragment builds the case page's long runs of rows (hundreds of facts,
// events and items) in Go, where html/template's cost per action — a
// reflective call per escaper — adds up to milliseconds. It is safe by
// construction: markup is only of type markup, which a constant converts
// to but a string variable does not, so no data can pass as markup; every
// text goes through html.EscapeString (safe in element content and in
// double-quoted attributes), and every path segment through
// url.PathEscape first.
type fragment struct{ b strings.Builder }

// markup is constant HTML written into the code.
type markup string

func (f *fragment) tag(m markup) *fragment { f.b.WriteString(string(m)); return f }

func (f *fragment) text(s string) *fragment { f.b.WriteString(html.EscapeString(s)); return f }

// path writes an URL path of escaped segments, each after a "/".
func (f *fragment) path(segments ...string) *fragment {
	for _, s := range segments {
		f.b.WriteByte('/')
		f.b.WriteString(html.EscapeString(url.PathEscape(s)))
	}
	return f
}

func (f *fragment) html() template.HTML { return template.HTML(f.b.String()) }
