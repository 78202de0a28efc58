package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestOpenAPI_DescribesEveryRoute fails when a route in routes.go is missing
// from assets/openapi.json, or the document describes a route that does not
// exist.
func TestOpenAPI_DescribesEveryRoute(t *testing.T) {
	raw, err := assets.ReadFile("assets/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range routes(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{}) {
		if !isAPI(rt.pattern) && rt.pattern != "/healthz" && rt.pattern != "/readyz" {
			continue // browser pages are not part of the API
		}
		key := rt.method + " " + rt.pattern
		served[key] = true
		if !documented[key] {
			t.Errorf("route %s is missing from openapi.json", key)
		}
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("openapi.json describes %s, which routes.go does not serve", key)
		}
	}
	if len(served) < 10 {
		t.Errorf("only %d routes found; the route table was not read", len(served))
	}
}
