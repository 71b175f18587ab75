// Package browsertest loads pages in headless Chromium for tests, through
// the DevTools protocol (github.com/chromedp/chromedp): it finds the
// browser, records what the page logged and requested, and reads what it
// drew (element geometry, the fonts used for a text, a screenshot).
//
// Where no browser is installed the test is skipped with a message saying
// how to install one, except under CI=true, where it fails: CI installs
// Debian's chromium (.ci/run).
package browsertest

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browsers are the names looked up on PATH, in order, after the path in
// $GOALKIT_CHROMIUM.
var Browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell", "headless_shell"}

// Find returns the path of a Chromium-based browser. Without one it skips
// t, or fails it when $CI is "true".
func Find(t testing.TB) string {
	t.Helper()
	names := Browsers
	if env := os.Getenv("GOALKIT_CHROMIUM"); env != "" {
		names = append([]string{env}, names...)
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := "no Chromium found (looked for " + strings.Join(names, ", ") + " on PATH): install Debian's chromium and fonts-wqy-zenhei (apt-get install chromium fonts-wqy-zenhei), as .ci/run does"
	if os.Getenv("CI") == "true" {
		t.Fatal("browser test in CI: " + msg)
		return ""
	}
	t.Skip(msg)
	return ""
}

// Page is one page loaded in its own headless browser.
type Page struct {
	ctx context.Context
	url string

	mu       sync.Mutex
	problems []string // console errors, uncaught exceptions, error log entries
	requests []string // every URL requested other than the page's own
}

// timeout bounds a whole page's life in a test.
const timeout = 2 * time.Minute

// Open starts a headless browser with a width × height window and env added
// to its environment ("FONTCONFIG_FILE=...", say), loads the HTML file at
// path, and closes the browser when t ends.
func Open(t testing.TB, path string, width, height int, env ...string) *Page {
	t.Helper()
	exe := Find(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	ctx, cancel := chromedp.NewContext(ctx, chromedp.WithAllocatorOptions(
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(width, height),
		chromedp.UserDataDir(t.TempDir()), chromedp.Env(env...)))
	t.Cleanup(func() { cancel(); cancelTimeout() })
	p := &Page{ctx: ctx, url: (&url.URL{Scheme: "file", Path: abs}).String()}
	if err := chromedp.Listen(ctx, p.record); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(p.url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("load %s in %s: %v", p.url, exe, err)
	}
	return p
}

// record keeps the events a test asserts on. It runs on the browser's read
// loop, so it only appends under the lock.
func (p *Page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			p.problems = append(p.problems, "console."+string(ev.Type))
		}
	case *runtime.EventExceptionThrown:
		p.problems = append(p.problems, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			p.problems = append(p.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if ev.Request.URL != p.url {
			p.requests = append(p.requests, ev.Request.URL)
		}
	}
}

// Problems returns the console errors, uncaught exceptions and error log
// entries seen so far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.problems)
}

// Requests returns the URLs the page requested besides itself.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into T. The page under test needs no script; this is the test reading it.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Fonts returns the platform fonts Chromium drew the text of the first
// element matching the CSS selector with, and how many glyphs each drew.
func (p *Page) Fonts(t testing.TB, selector string) []*css.PlatformFontUsage {
	t.Helper()
	ids, err := chromedp.Run(p.ctx, chromedp.QueryNodeIDs(chromedp.CSS(selector)))
	if err != nil || len(ids) == 0 {
		t.Fatalf("find %s: %v", selector, err)
	}
	res, err := chromedp.Call(p.ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: ids[0]})
	if err != nil {
		t.Fatalf("fonts of %s: %v", selector, err)
	}
	return res.Fonts
}

// Screenshot writes a PNG of the whole page to path.
func (p *Page) Screenshot(t testing.TB, path string) {
	t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
