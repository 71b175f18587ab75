package report_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/goalkit/goalkit/internal/browsertest"
	"github.com/goalkit/goalkit/report"
	"github.com/stretchr/testify/require"
)

// box is an element's rendered size in CSS pixels.
type box struct{ W, H float64 }

// boxes returns the rendered sizes of the elements matching selector.
func boxes(t *testing.T, p *browsertest.Page, selector string) []box {
	return browsertest.Eval[[]box](t, p, `[...document.querySelectorAll(`+"`"+selector+"`"+`)].map(e => { const r = e.getBoundingClientRect(); return {W: r.width, H: r.height} })`)
}

// TestBrowser loads the sample report in headless Chromium in both
// languages: no console error and no request, every chart element drawn
// with its size, the text in the page's language, Chinese glyphs drawn by a
// CJK font, and a screenshot in the test's temp dir.
func TestBrowser(t *testing.T) {
	for _, tc := range []struct {
		lang     report.Lang
		name     string
		headings []string
		foreign  string // a heading of the other language, which must not appear
	}{
		{report.English, "en", []string{"Burn-up", "Funnel", "Attainment by unit and period", "Leaderboard", "Open alerts"}, "排行榜"},
		{report.Chinese, "zh-CN", []string{"累计完成趋势", "销售漏斗", "各单位各期完成率", "排行榜", "未解除的预警"}, "Leaderboard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report."+tc.name+".html")
			f, err := os.Create(path)
			require.NoError(t, err)
			require.NoError(t, report.Render(f, sample(), tc.lang))
			require.NoError(t, f.Close())
			p := browsertest.Open(t, path, 1100, 900)

			require.Equal(t, tc.name, browsertest.Eval[string](t, p, `document.documentElement.lang`))
			require.Equal(t, tc.headings, browsertest.Eval[[]string](t, p, `[...document.querySelectorAll("h2")].map(e => e.textContent)`))
			require.NotContains(t, browsertest.Eval[string](t, p, `document.body.innerText`), tc.foreign)

			// The burn-up: two lines, two markers, drawn at full size.
			chart := boxes(t, p, "#burnup svg")
			require.Len(t, chart, 1)
			require.InDelta(t, 760, chart[0].W, 1)
			require.InDelta(t, 320, chart[0].H, 1)
			for _, sel := range []string{".plan-line", ".actual-line"} {
				b := boxes(t, p, "#burnup "+sel)
				require.Len(t, b, 1, sel)
				require.Greater(t, b[0].W, 300.0, sel)
				require.Greater(t, b[0].H, 50.0, sel)
			}
			markers := boxes(t, p, "#burnup .marker")
			require.Len(t, markers, 2)
			for _, m := range markers {
				require.InDelta(t, 7, m.W, 0.5)
				require.InDelta(t, 7, m.H, 0.5)
			}

			// The funnel: bars as wide as their counts (400, 120, 48, 20
			// won), an interval per stage.
			bars := boxes(t, p, "#funnel .funnel-bar")
			require.Len(t, bars, 4)
			for i, n := range []float64{400, 120, 48, 20} {
				require.InDelta(t, 300*n/400, bars[i].W, 1, "bar %d", i)
				require.InDelta(t, 28, bars[i].H, 0.5)
			}
			require.Len(t, boxes(t, p, "#funnel .funnel-ci"), 3)

			// The heat map: 2 units × 6 months.
			cells := boxes(t, p, "#heatmap .heat-cell")
			require.Len(t, cells, 12)
			for _, c := range cells {
				require.InDelta(t, 46, c.W, 1.5) // a dashed outline adds its width
				require.InDelta(t, 20, c.H, 1.5)
			}
			require.Len(t, boxes(t, p, "#leaderboard tbody tr"), 2)
			require.Len(t, boxes(t, p, "#leaderboard .lead-bar"), 2)
			require.Len(t, boxes(t, p, "#alerts tbody tr"), 2)

			// Chinese text is drawn with a CJK font, every glyph of it.
			for _, sel := range []string{"#title", "#heatmap h2", "#leaderboard tbody td:nth-child(2)"} {
				han, drawn := cjkGlyphs(t, p, sel)
				if han == 0 {
					continue // an English heading
				}
				require.GreaterOrEqual(t, drawn, float64(han), "%s: %d Han characters, %v glyphs from a CJK font; install fonts-wqy-zenhei", sel, han, drawn)
			}

			require.Empty(t, p.Problems(), "console errors")
			require.Empty(t, p.Requests(), "the page is self-contained")
			shot := filepath.Join(dir, "report."+tc.name+".png")
			p.Screenshot(t, shot)
			t.Logf("screenshot: %s", shot)
		})
	}
}

// cjkGlyphs counts the Han characters in the text of the first element
// matching selector, and the glyphs Chromium drew for it with a CJK font.
func cjkGlyphs(t *testing.T, p *browsertest.Page, selector string) (han int, drawn float64) {
	text := browsertest.Eval[string](t, p, `document.querySelector("`+selector+`").textContent`)
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	for _, f := range p.Fonts(t, selector) {
		if slices.ContainsFunc(cjkFonts, func(name string) bool { return strings.Contains(f.FamilyName, name) }) {
			drawn += f.GlyphCount
		}
	}
	return han, drawn
}

// TestBrowserSeesTofu proves the glyph check above can fail: with a font
// configuration that holds no CJK font (only DejaVu, as on a fresh Debian),
// Chromium draws the Chinese title as empty boxes, and cjkGlyphs says so.
func TestBrowserSeesTofu(t *testing.T) {
	const dejavu = "/usr/share/fonts/truetype/dejavu"
	if _, err := os.Stat(dejavu); err != nil {
		t.Skipf("no %s to build a font configuration without CJK fonts", dejavu)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	require.NoError(t, os.WriteFile(conf, []byte(`<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>`+dejavu+`</dir><cachedir>`+filepath.Join(dir, "cache")+`</cachedir></fontconfig>`), 0o644))
	path := filepath.Join(dir, "report.html")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, report.Render(f, sample(), report.Chinese))
	require.NoError(t, f.Close())
	p := browsertest.Open(t, path, 1100, 900, "FONTCONFIG_FILE="+conf)
	han, drawn := cjkGlyphs(t, p, "#title")
	require.Positive(t, han)
	fonts := p.Fonts(t, "#title")
	require.NotEmpty(t, fonts, "the title was drawn")
	for _, f := range fonts {
		t.Logf("drawn with %s: %v glyphs", f.FamilyName, f.GlyphCount)
	}
	require.Zero(t, drawn, "no CJK font is installed in this configuration")
}

// cjkFonts are the families of the page's font stack that hold Chinese
// glyphs (Noto's is reported as "Noto Sans CJK SC" or "Noto Sans SC").
var cjkFonts = []string{"PingFang", "Microsoft YaHei", "Noto Sans CJK", "Noto Sans SC", "WenQuanYi Zen Hei"}
