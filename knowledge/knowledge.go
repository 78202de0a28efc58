// Package knowledge holds Sanctuary's default knowledge pack: the rules,
// facts and sources drawn from the project's knowledge brief (law and
// policy on people who refuse to fight, Russia 2022–2026), as YAML files
// embedded in the binary. The format is documented in
// docs/knowledge-pack.md; `sanctuary rules lint` and `sanctuary rules test`
// check it, and `--knowledge DIR` replaces it with another pack.
package knowledge

import (
	"embed"
	"io/fs"

	"github.com/sanctuary-platform/sanctuary/internal/rules"
)

//go:embed pack.yaml sources.yaml jurisdictions.yaml facts.yaml rules/*.yaml tests/*.yaml
var files embed.FS

// FS returns the default pack's files.
func FS() fs.FS { return files }

// Load reads and checks the default pack.
func Load() (*rules.Pack, error) { return rules.Load(files) }
