package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/internal/browsertest"
	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/goalkit/goalkit/report"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestReplay replays the whole of 2017 twice and checks what a reader of
// the output relies on.
func TestReplay(t *testing.T) {
	dir := shareddata.Require(t, "maven-crm")
	if testing.Short() {
		t.Skip("the full replay takes a few seconds (longer with -race)")
	}
	first, res := replay2017(t, dir)

	// SOURCE.md: won close_value total 10,005,534, all of it closed in 2017.
	require.True(t, decimal.NewFromInt(10_005_534).Equal(res.WonRevenue), "won revenue %s", res.WonRevenue)
	out := first
	require.Contains(t, out, "Company                      $9,782,000  $10,005,534  102.3%")
	for _, office := range []string{"Central", "East", "West"} {
		require.Contains(t, out, "\n    "+office+" ", "the attainment table lists every office")
	}

	// Alerts fire and resolve, and every notification is delivered.
	fired, resolved := 0, 0
	for _, n := range res.Fired {
		fired += n
	}
	for _, n := range res.Resolved {
		resolved += n
	}
	require.Positive(t, res.Fired["pace"], "some goal falls behind pace")
	require.Positive(t, res.Resolved["pace"], "some goal recovers or closes")
	require.Positive(t, res.Fired["stagnation"], "some deals get stuck")
	require.LessOrEqual(t, resolved, fired)
	require.Equal(t, 52, res.Evaluations, "every Friday of 2017")
	sum := 0
	for _, n := range res.Notifications {
		sum += n
	}
	require.Equal(t, res.Delivered, sum)
	require.Positive(t, res.Notifications["escalated"])
	require.Contains(t, out, "FIRING")
	require.Contains(t, out, "RESOLVED")

	// The digest stays short enough to read.
	require.Less(t, strings.Count(out, "\n"), 130, "the default output should fit a couple of screens")
}

// TestVerbose replays the first half of 2017 twice, side by side, with -v:
// the two outputs are the same bytes, and every delivered notification has
// a line of its own. (Half a year keeps it quick under -race; each run has
// its own engine and store, so -race also checks that they share nothing.)
func TestVerbose(t *testing.T) {
	dir := shareddata.Require(t, "maven-crm")
	o := options{data: dir, until: date.New(2017, 6, 30), verbose: true}
	var (
		bufs [2]bytes.Buffer
		res  [2]*result
		errs [2]error
		wg   sync.WaitGroup
	)
	for i := range 2 {
		wg.Go(func() { res[i], errs[i] = run(context.Background(), o, &bufs[i]) })
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	out := bufs[0].String()
	require.Equal(t, out, bufs[1].String(), "two runs print the same bytes")

	lines := 0
	for _, l := range strings.Split(out, "\n") {
		for _, k := range []string{"FIRING", "REMINDER", "ESCALATED", "RESOLVED"} {
			if strings.HasPrefix(l, "2017-") && strings.Contains(l, "  "+k+" ") {
				lines++
			}
		}
	}
	require.Positive(t, res[0].Delivered)
	require.Equal(t, res[0].Delivered, lines)
	require.Contains(t, out, "Darcel Schlecht", "-v lists agents in the attainment table")
}

func TestMissingData(t *testing.T) {
	_, err := run(context.Background(), options{data: t.TempDir(), until: date.New(2017, 12, 31)}, &bytes.Buffer{})
	require.ErrorContains(t, err, "sales_teams.csv not found")
	require.ErrorContains(t, err, "-data")
}

// replay2017 replays the whole of 2017 once per test binary, writing the
// English HTML report to replayHTML, and returns the output and result:
// TestReplay and TestHTMLReport share it, since a replay under -race takes
// most of a minute.
func replay2017(t *testing.T, dir string) (string, *result) {
	t.Helper()
	replayOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "maven-crm-replay-")
		if err != nil {
			replayErr = err
			return
		}
		replayHTML = filepath.Join(tmp, "report.html")
		var buf bytes.Buffer
		replayRes, replayErr = run(context.Background(), options{data: dir, until: date.New(2017, 12, 31), html: replayHTML, lang: report.English}, &buf)
		replayOut = buf.String()
	})
	require.NoError(t, replayErr)
	return replayOut, replayRes
}

var (
	replayOnce sync.Once
	replayOut  string
	replayRes  *result
	replayErr  error
	replayHTML string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if replayHTML != "" {
		os.RemoveAll(filepath.Dir(replayHTML))
	}
	os.Exit(code)
}

var screenshot = flag.Bool("screenshot", false, "rewrite docs/report-maven-crm*.png from TestHTMLReport")

// TestHTMLReport replays 2017 with -html in both languages and loads each
// report in headless Chromium: no console error, no request, a heat-map
// cell for every agent and month, the page in its language. Screenshots go
// to the test's temp dir, and with -screenshot to docs/.
func TestHTMLReport(t *testing.T) {
	dir := shareddata.Require(t, "maven-crm")
	if testing.Short() {
		t.Skip("the full replay takes a few seconds (longer with -race)")
	}
	browsertest.Find(t)
	for _, tc := range []struct {
		lang    report.Lang
		name    string
		heading string
		doc     string
	}{
		{report.English, "en", "Leaderboard", "report-maven-crm.png"},
		{report.Chinese, "zh-CN", "排行榜", "report-maven-crm.zh-CN.png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			var out, html string
			if tc.lang == report.English {
				// The year TestReplay replays wrote its English report.
				out, _ = replay2017(t, dir)
				html = replayHTML
			} else {
				html = filepath.Join(tmp, "report.html")
				var buf bytes.Buffer
				_, err := run(context.Background(), options{data: dir, until: date.New(2017, 12, 31), html: html, lang: tc.lang}, &buf)
				require.NoError(t, err)
				out = buf.String()
			}
			require.Contains(t, out, "Report written to "+html)
			info, err := os.Stat(html)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o644), info.Mode().Perm())

			p := browsertest.Open(t, html, 1100, 900)
			require.Equal(t, tc.name, browsertest.Eval[string](t, p, `document.documentElement.lang`))
			require.Contains(t, browsertest.Eval[[]string](t, p, `[...document.querySelectorAll("h2")].map(e => e.textContent)`), tc.heading)
			require.Equal(t, 35*12, browsertest.Eval[int](t, p, `document.querySelectorAll("#heatmap .heat-cell").length`), "35 agents × 12 months")
			require.Equal(t, 3, browsertest.Eval[int](t, p, `document.querySelectorAll("#funnel .funnel-bar").length`), "Prospecting, Engaging, Won")
			require.Equal(t, 10, browsertest.Eval[int](t, p, `document.querySelectorAll("#leaderboard tbody tr").length`))
			require.Positive(t, browsertest.Eval[int](t, p, `document.querySelectorAll("#burnup .marker").length`))
			require.Empty(t, p.Problems(), "console errors")
			require.Empty(t, p.Requests(), "the page is self-contained")
			shot := filepath.Join(tmp, tc.doc)
			p.Screenshot(t, shot)
			t.Logf("screenshot: %s", shot)
			if *screenshot {
				p.Screenshot(t, filepath.Join("..", "..", "docs", tc.doc))
			}
		})
	}
}
