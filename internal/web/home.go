package web

import (
	"embed"
	"net/http"
)

//go:embed assets/home.html assets/openapi.json
var assets embed.FS

// home serves the start page, which for now points to the API in the three
// languages of the interface.
func home() http.Handler {
	page, err := assets.ReadFile("assets/home.html")
	if err != nil {
		panic(err) // embedded at build time; a test serves it
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
}

// openAPI serves the OpenAPI 3.1 description of /api/v1.
func openAPI() http.Handler {
	doc, err := assets.ReadFile("assets/openapi.json")
	if err != nil {
		panic(err) // embedded at build time; a test serves it
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc)
	})
}
