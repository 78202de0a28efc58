package web

import (
	"embed"
	"net/http"
)

//go:embed assets/openapi.json
var assets embed.FS

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
