// Package e2e drives Sanctuary's pages in a real browser: Debian's Chromium,
// headless, through the DevTools protocol (chromedp). Its tests serve the
// real handler over real HTTP and a real database (SQLite, and PostgreSQL
// when one answers), click and type as a person would, once with
// JavaScript on and once with it off, and check every page they load with
// axe-core.
//
// The package has only tests; this file holds its documentation. A new
// flow is a test like TestClientInvitation:
//
//	bothModes(t, func(t *testing.T, js bool) {
//		storetest.Run(t, func(t *testing.T, db *store.DB) {
//			s := newSite(t, db)             // Sanctuary on a test server
//			p := s.addStaff(t, lena, sanctuary.RoleCaseworker)
//			b := s.open(t, js)              // a tab with cookies of its own
//			s.signIn(b, p)                  // password and TOTP code
//			b.click(`main a[href="/cases"]`) // waits for the page
//			b.at("/cases")
//			b.see("Cases")
//		})
//	})
//
// Every page a tab loads is checked with axe-core; a new page also gets a
// row in pages (pages_test.go), which TestPagesAccessible checks and
// TestScreenshots photographs.
//
// Chromium is /usr/bin/chromium and axe-core is node_modules/axe-core here
// (npm ci --prefix internal/web/e2e, at the version package-lock.json
// pins). Without either the tests skip, and fail when CI is set.
// SANCTUARY_SCREENSHOTS=DIR makes TestScreenshots save PNGs of the pages
// (scripts/screenshots).
package e2e
