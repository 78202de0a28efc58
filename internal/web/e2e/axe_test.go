package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axePath is axe-core as `npm ci --prefix internal/web/e2e` installs it,
// at the version package-lock.json pins.
const axePath = "node_modules/axe-core/axe.min.js"

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(axePath)
	if err != nil {
		return "", fmt.Errorf("no axe-core (npm ci --prefix internal/web/e2e): %w", err)
	}
	return string(b), nil
})

// axeWanted reports whether a tab should run axe-core on its pages: yes
// when it is installed; without it the checks are skipped (the flows
// still run), and with CI set the test fails.
func axeWanted(t *testing.T) bool {
	t.Helper()
	if _, err := axeSource(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("e2e: %v", err)
		}
		axeSkipped.Do(func() { fmt.Fprintf(os.Stderr, "e2e: accessibility checks skipped: %v\n", err) })
		return false
	}
	return true
}

var axeSkipped sync.Once

// A violation is one rule axe-core found broken, with the elements that
// break it.
type violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"` // CSS selectors; a nested list inside shadow DOM
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// axeViolations runs axe-core on the page shown. The script goes in
// through the DevTools protocol (Runtime.evaluate), which the page's
// Content-Security-Policy does not govern. axe.run waits on timers, which
// do not fire while scripts are off, so with js false scripts are on for
// the run: the page's own scripts, skipped when it loaded, stay unrun.
func axeViolations(ctx context.Context, js bool) ([]violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if !js {
		if err := scripts(ctx, true); err != nil {
			return nil, err
		}
		defer scripts(ctx, false)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("load axe-core: %w", err)
	}
	if v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof axe.run`)); err != nil || v != "function" {
		return nil, fmt.Errorf("axe-core did not load (typeof axe.run = %q): %v", v, err)
	}
	await := func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, await))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("axe-core's answer: %w", err)
	}
	return vs, nil
}

// scripts turns the page's JavaScript on or off.
func scripts(ctx context.Context, on bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	if err != nil {
		return fmt.Errorf("turn JavaScript on=%v: %w", on, err)
	}
	return nil
}

// axeChecked holds the pages checked so far in this test binary, by
// shape (see pageShape): the same page on the other database or in the
// other mode (where the page's scripts changed nothing of its shape), or
// visited again, is not checked again.
var axeChecked sync.Map

// pageShape identifies what axe-core looks at: the language, the path
// with its tokens left out, the query, and the kinds of element on the
// page: tag, id, class and the names of the other attributes, each kind
// once, so that a page with one more row of a kind it has already (a
// fact answered, a deadline added) is not checked again, while one with a
// new kind is. Elements with an id count each, so that an id given twice
// makes a new shape. The text and the attributes' values are left out:
// they hold tokens and dates. The mode is left out too: with JavaScript
// on, a page whose scripts changed none of this is the page axe-core saw
// with it off (axe-core runs with scripts on either way).
func pageShape(b *tab) string {
	b.t.Helper()
	s, _ := b.eval(`(() => {
		const seen = new Set(), kinds = [];
		for (const e of document.querySelectorAll("*")) {
			const attrs = e.getAttributeNames().filter(a => a !== "id" && a !== "class").sort();
			const k = e.tagName + "#" + e.id + "." + e.className + "[" + attrs.join(" ") + "]";
			if (e.id || !seen.has(k)) {
				seen.add(k);
				kinds.push(k);
			}
		}
		return [document.documentElement.lang, location.pathname.replace(/\/[a-z]{3}_[a-z2-7]{20,}/g, "/*"), location.search,
			kinds.sort().join(" ")].join("|");
	})()`).(string)
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%x", sum[:8])
}

// axeCheck fails the test with every serious or critical violation on the
// page shown, and logs the lesser ones.
func axeCheck(t *testing.T, b *tab) {
	t.Helper()
	if _, seen := axeChecked.LoadOrStore(pageShape(b), true); seen {
		return
	}
	vs, err := axeViolations(b.ctx, b.js)
	if err != nil {
		t.Fatalf("axe on %s: %v", b.path(), err)
	}
	var bad, minor []string
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, v.String())
		} else {
			minor = append(minor, v.String())
		}
	}
	where := fmt.Sprintf("%s (%s)", b.path(), b.mode())
	if len(minor) > 0 {
		t.Logf("axe: %s: lesser accessibility problems:\n  %s", where, strings.Join(minor, "\n  "))
	}
	if len(bad) > 0 {
		t.Errorf("axe: %s: %d serious or critical accessibility violations:\n  %s", where, len(bad), strings.Join(bad, "\n  "))
	}
}

// TestAxe_FindsViolations checks the checker: on a page whose policy
// allows no injected script, with scripts off, axe-core runs and reports
// an image without alternative text.
func TestAxe_FindsViolations(t *testing.T) {
	t.Parallel()
	if _, err := axeSource(); err != nil {
		missing(t, err)
	}
	bothModes(t, func(t *testing.T, js bool) {
		b := newTab(t, "", js)
		b.axe = false
		b.visit(dataURL(`<p id="ran">no</p><script>document.getElementById("ran").textContent = "yes"</script>`))
		if ran := b.text("#ran"); js && ran != "yes" || !js && ran != "no" {
			t.Errorf("the page's own script ran: %q (%s)", ran, b.mode())
		}
		b.visit(dataURL(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'">` +
			`<title>t</title><main><h1>t</h1><img src="data:," width="10" height="10"><p id="ran">no</p>` +
			`<script>document.getElementById("ran").textContent = "yes"</script></main>`))
		if ran := b.text("#ran"); ran != "no" {
			t.Errorf("an inline script ran despite the policy: %q", ran)
		}
		vs, err := axeViolations(b.ctx, js)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, v := range vs {
			ids = append(ids, v.ID)
		}
		if !strings.Contains(strings.Join(ids, " "), "image-alt") {
			t.Errorf("axe-core found %v, want image-alt among them", ids)
		}
		if ran := b.text("#ran"); ran != "no" {
			t.Errorf("running axe-core ran the page's script: %q", ran)
		}
	})
}

// dataURL is a page of its own (in English) with the HTML as its body.
func dataURL(body string) string {
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8">` + body + `</html>`
	return "data:text/html;charset=utf-8," + url.PathEscape(page)
}
