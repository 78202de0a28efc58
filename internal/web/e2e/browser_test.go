package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds one step of a flow (a page load, a click), so that a
// page that never comes fails the test naming the step instead of hanging.
const stepTimeout = 30 * time.Second

// chrome is the one browser of the test binary: the first test that needs
// it starts it, TestMain stops it. Each test gets tabs in browser contexts
// of their own (see open), so nothing but the process is shared.
var chrome struct {
	once sync.Once
	ctx  context.Context // the browser's first tab; tabs are made from it
	stop func()
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.stop != nil {
		chrome.stop()
	}
	os.Exit(code)
}

// browser returns the context of the running browser, starting it the
// first time. Without Chromium the test is skipped, or fails when CI is set.
func browser(t *testing.T) context.Context {
	t.Helper()
	chrome.once.Do(startBrowser)
	if chrome.err != nil {
		missing(t, chrome.err)
	}
	return chrome.ctx
}

func startBrowser() {
	if _, err := os.Stat(chromiumPath); err != nil {
		chrome.err = fmt.Errorf("no Chromium at %s (apt-get install chromium): %w", chromiumPath, err)
		return
	}
	dir, err := os.MkdirTemp("", "sanctuary-e2e-chromium-")
	if err != nil {
		chrome.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("accept-lang", "en-US,en"),                     // pages pick the language from it
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"), // a test plays a recording
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 800),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	chrome.stop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
	if err := chromedp.Do(ctx); err != nil { // starts the browser, bound to ctx
		chrome.err = fmt.Errorf("start %s: %w", chromiumPath, err)
		return
	}
	chrome.ctx = ctx
}

// missing skips the test for want of a tool, or fails it when CI is set:
// CI must never pass by skipping.
func missing(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("e2e: %v", err)
	}
	t.Skipf("e2e: %v", err)
}

// bothModes runs a flow as subtests "js" and "nojs": every page must work
// with JavaScript off.
func bothModes(t *testing.T, flow func(t *testing.T, js bool)) {
	t.Helper()
	for _, js := range []bool{true, false} {
		name := "js"
		if !js {
			name = "nojs"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			flow(t, js)
		})
	}
}

// tab is a browser tab in a browser context of its own, like a private
// window: it shares no cookies with other tabs. Its methods fail the test
// when a step fails, naming the step and the page.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	js   bool
	// axe runs axe-core on every page the tab loads (see axeCheck).
	axe bool
}

// open opens a tab on the site, with JavaScript on or off.
func (s *site) open(t *testing.T, js bool) *tab {
	t.Helper()
	return newTab(t, s.URL, js)
}

// newTab opens a tab whose paths are relative to base.
func newTab(t *testing.T, base string, js bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, bound to ctx
		t.Fatalf("open a tab: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
			emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("turn JavaScript off: %v", err)
		}
	}
	return &tab{t: t, ctx: ctx, base: base, js: js, axe: axeWanted(t)}
}

// mode says whether the tab runs the page's JavaScript, for messages.
func (b *tab) mode() string {
	if b.js {
		return "JavaScript on"
	}
	return "JavaScript off"
}

// step runs actions with the step timeout.
func (b *tab) step(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// visit loads the path (or a full URL) and returns the HTTP status.
func (b *tab) visit(path string) int64 {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		b.t.Fatalf("visit %s (%s): %v", path, b.mode(), err)
	}
	var status int64
	if res != nil {
		status = res.Status
	}
	return b.loaded(status)
}

// click clicks the element that sel (CSS) selects, a link or a button, as
// a mouse would, waits for the page it loads, and returns its HTTP status.
func (b *tab) click(sel string) int64 {
	b.t.Helper()
	b.must(sel)
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s on %s (%s): no page loaded: %v", sel, b.path(), b.mode(), err)
	}
	var status int64
	if res != nil {
		status = res.Status
	}
	return b.loaded(status)
}

// loaded runs what every new page gets: the axe-core check.
func (b *tab) loaded(status int64) int64 {
	b.t.Helper()
	if b.axe {
		axeCheck(b.t, b)
	}
	return status
}

// check clicks a radio button or a checkbox (it loads no page).
func (b *tab) check(sel string) {
	b.t.Helper()
	b.must(sel)
	if err := b.step(chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s on %s (%s): %v", sel, b.path(), b.mode(), err)
	}
	if !b.truth(fmt.Sprintf(`document.querySelector(%s).checked`, quote(sel))) {
		b.t.Fatalf("%s on %s is not checked after a click", sel, b.path())
	}
}

// fill types text into the field, key by key, after emptying it.
func (b *tab) fill(sel, text string) {
	b.t.Helper()
	b.must(sel)
	b.eval(fmt.Sprintf(`document.querySelector(%s).value = ""`, quote(sel)))
	if err := b.step(chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.t.Fatalf("type into %s on %s (%s): %v", sel, b.path(), b.mode(), err)
	}
	if got := b.value(sel); got != text {
		b.t.Fatalf("%s on %s holds %q after typing %q", sel, b.path(), got, text)
	}
}

// press clicks an element that loads no page, such as the summary of a
// details element.
func (b *tab) press(sel string) {
	b.t.Helper()
	b.must(sel)
	if err := b.step(chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s on %s (%s): %v", sel, b.path(), b.mode(), err)
	}
}

// choose picks the option of a select box with the label as a person
// does with the keyboard: the arrow keys move the choice up or down.
func (b *tab) choose(sel, label string) {
	b.t.Helper()
	b.must(sel)
	at, _ := b.eval(fmt.Sprintf(`(s => [s.selectedIndex, Array.from(s.options, o => o.text.trim()).indexOf(%s)])(document.querySelector(%s))`,
		quote(label), quote(sel))).([]any)
	if len(at) != 2 {
		b.t.Fatalf("%s on %s: no select box", sel, b.path())
	}
	from, _ := at[0].(float64)
	to, _ := at[1].(float64)
	if to < 0 {
		b.t.Fatalf("%s on %s has no option %q", sel, b.path(), label)
	}
	key, n := kb.ArrowDown, int(to-from)
	if n < 0 {
		key, n = kb.ArrowUp, -n
	}
	if err := b.step(chromedp.SendKeys(chromedp.CSS(sel), strings.Repeat(key, n))); err != nil {
		b.t.Fatalf("choose %q in %s on %s (%s): %v", label, sel, b.path(), b.mode(), err)
	}
	if got := b.text(sel + " option:checked"); got != label {
		b.t.Fatalf("%s on %s shows %q after %d presses of an arrow key, want %q", sel, b.path(), got, n, label)
	}
}

// fillDate types a date (YYYY-MM-DD) into a date field, key by key, as a
// person does: its parts in the order the field shows them, which follows
// the language of the page (the month first in English, the day first in
// German and Russian).
func (b *tab) fillDate(sel, date string) {
	b.t.Helper()
	b.must(sel)
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		b.t.Fatalf("fillDate %s: %v", sel, err)
	}
	parts, _ := b.eval(fmt.Sprintf(`(e => new Intl.DateTimeFormat((e.closest("[lang]") || document.documentElement).lang || navigator.language,
		{year: "numeric", month: "2-digit", day: "2-digit"}).formatToParts(new Date(2001, 1, 3)).
		filter(p => p.type !== "literal").map(p => p.type))(document.querySelector(%s))`, quote(sel))).([]any)
	layout := map[any]string{"year": "2006", "month": "01", "day": "02"}
	var keys string
	for _, p := range parts {
		keys += d.Format(layout[p])
	}
	if err := b.step(chromedp.SendKeys(chromedp.CSS(sel), keys)); err != nil {
		b.t.Fatalf("type %s into %s on %s (%s): %v", keys, sel, b.path(), b.mode(), err)
	}
	if got := b.value(sel); got != date {
		b.t.Fatalf("%s on %s holds %q after typing %q (the parts in the order %v), want %s", sel, b.path(), got, keys, parts, date)
	}
}

// attach chooses a file for a file input.
func (b *tab) attach(sel, file string) {
	b.t.Helper()
	b.must(sel)
	if err := b.step(chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file})); err != nil {
		b.t.Fatalf("choose %s for %s on %s: %v", file, sel, b.path(), err)
	}
}

// eval evaluates a JavaScript expression in the page through the DevTools
// protocol, which works with the page's scripts off too.
func (b *tab) eval(expr string) any {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr))
	if err != nil && !errors.Is(err, chromedp.ErrJSUndefined) && !errors.Is(err, chromedp.ErrJSNull) {
		b.t.Fatalf("evaluate %s (%s): %v", expr, b.mode(), err)
	}
	var v any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			b.t.Fatalf("evaluate %s: %v", expr, err)
		}
	}
	return v
}

// truth evaluates a JavaScript expression and reports whether it is true.
func (b *tab) truth(expr string) bool {
	b.t.Helper()
	v, _ := b.eval(expr).(bool)
	return v
}

// has reports whether sel selects an element on the page now.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return b.truth(fmt.Sprintf(`document.querySelector(%s) !== null`, quote(sel)))
}

// count is how many elements sel selects on the page now.
func (b *tab) count(sel string) int {
	b.t.Helper()
	n, _ := b.eval(fmt.Sprintf(`document.querySelectorAll(%s).length`, quote(sel))).(float64)
	return int(n)
}

// must fails the test unless sel selects an element on the page now.
func (b *tab) must(sel string) {
	b.t.Helper()
	if !b.has(sel) {
		b.t.Fatalf("no %s on %s (%s); the page says:\n%s", sel, b.path(), b.mode(), b.text("body"))
	}
}

// text is the text of the element as rendered (innerText: hidden parts
// left out), or "" when there is none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	s, _ := b.eval(fmt.Sprintf(`(e => e ? e.innerText : "")(document.querySelector(%s))`, quote(sel))).(string)
	return s
}

// value is the value of a form field, "" when there is none.
func (b *tab) value(sel string) string {
	b.t.Helper()
	s, _ := b.eval(fmt.Sprintf(`(e => e ? e.value : "")(document.querySelector(%s))`, quote(sel))).(string)
	return s
}

// visible reports whether the element is shown (it exists, is not hidden
// and takes up space).
func (b *tab) visible(sel string) bool {
	b.t.Helper()
	return b.truth(fmt.Sprintf(`(e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")(document.querySelector(%s))`, quote(sel)))
}

// until waits until the JavaScript expression is true on the page, and
// fails the test when it is not true within the step timeout.
func (b *tab) until(expr string) {
	b.t.Helper()
	for end := time.Now().Add(stepTimeout); !b.truth(expr); {
		if time.Now().After(end) {
			b.t.Fatalf("on %s (%s), %s is still not true after %v", b.path(), b.mode(), expr, stepTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// see fails the test unless the page shows each text.
func (b *tab) see(texts ...string) {
	b.t.Helper()
	body := b.text("body")
	for _, s := range texts {
		if !strings.Contains(body, s) {
			b.t.Errorf("%s (%s) does not show %q; it shows:\n%s", b.path(), b.mode(), s, body)
		}
	}
}

// notSee fails the test if the page shows any of the texts.
func (b *tab) notSee(texts ...string) {
	b.t.Helper()
	body := b.text("body")
	for _, s := range texts {
		if strings.Contains(body, s) {
			b.t.Errorf("%s (%s) shows %q", b.path(), b.mode(), s)
		}
	}
}

// path is the path and query of the page shown.
func (b *tab) path() string {
	b.t.Helper()
	s, _ := b.eval(`location.pathname + location.search`).(string)
	return s
}

// at fails the test unless the page shown is at path (with its query).
func (b *tab) at(path string) {
	b.t.Helper()
	if got := b.path(); got != path {
		b.t.Fatalf("at %s, want %s (%s); the page says:\n%s", got, path, b.mode(), b.text("body"))
	}
}

// lang is the language of the page, <html lang>.
func (b *tab) lang() string {
	b.t.Helper()
	s, _ := b.eval(`document.documentElement.lang`).(string)
	return s
}

// cookie returns the value of the site's cookie, "" if there is none.
func (b *tab) cookie(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
	if err != nil {
		b.t.Fatalf("read cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// quote makes s a JavaScript string literal.
func quote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// pathOf is the path and query of a link the site hands out.
func pathOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	return u.RequestURI()
}
