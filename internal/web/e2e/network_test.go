package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// What a tab sends and receives besides pages: the requests it makes (to
// tell a form's post from a script's), and the files it downloads.

// A request is one the tab sent: its method, address and what it was for
// (a document, an XHR, an image...).
type request struct {
	Method, URL string
	Type        network.ResourceType
}

// record starts to note the requests the tab sends, and returns a func
// that lists those sent so far.
func (b *tab) record() func() []request {
	b.t.Helper()
	var (
		mu   sync.Mutex
		sent []request
	)
	ctx, cancel := context.WithCancel(b.ctx)
	b.t.Cleanup(cancel)
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			sent = append(sent, request{Method: e.Request.Method, URL: e.Request.URL, Type: e.Type})
			mu.Unlock()
		}
	})
	if err != nil {
		b.t.Fatalf("listen to the requests: %v", err)
	}
	return func() []request {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(sent)
	}
}

// download clicks a download link, waits until the browser has saved the
// file, and returns its content.
func (b *tab) download(sel string) []byte {
	b.t.Helper()
	b.must(sel)
	dir := b.t.TempDir()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, BrowserContextID: chromedp.FromContext(b.ctx).BrowserContextID,
		DownloadPath: dir, EventsEnabled: new(true)})
	if err != nil {
		b.t.Fatalf("let the tab download into %s: %v", dir, err)
	}
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s on %s (%s): %v", sel, b.path(), b.mode(), err)
	}
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("download through %s on %s (%s): %v", sel, b.path(), b.mode(), err)
		}
		switch ev.State {
		case cdpbrowser.DownloadProgressStateCanceled:
			b.t.Fatalf("download through %s on %s (%s): canceled", sel, b.path(), b.mode())
		case cdpbrowser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				b.t.Fatalf("the downloaded file: %v", err)
			}
			return data
		}
	}
	b.t.Fatalf("download through %s on %s (%s): no file came", sel, b.path(), b.mode())
	return nil
}

// forgetCookie deletes one of the site's cookies from the tab.
func (b *tab) forgetCookie(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: name, URL: b.base}); err != nil {
		b.t.Fatalf("delete the cookie %s: %v", name, err)
	}
}
