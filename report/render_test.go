package report_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/report"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func render(t *testing.T, d *report.Data, lang report.Lang) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, report.Render(&b, d, lang))
	return b.String()
}

// TestGolden pins the whole page for a fixed Data in both languages; run
// with -update after a deliberate change and review the diff.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		lang report.Lang
	}{{"sample.en.html", report.English}, {"sample.zh-CN.html", report.Chinese}} {
		t.Run(tc.file, func(t *testing.T) {
			got := render(t, sample(), tc.lang)
			path := filepath.Join("testdata", tc.file)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./report -run TestGolden -update to write it")
			require.Equal(t, string(want), got)
			require.Equal(t, got, render(t, sample(), tc.lang), "the same input gives the same bytes")
		})
	}
}

func TestRenderLanguage(t *testing.T) {
	zh := render(t, sample(), report.Lang("zh-Hans-CN"))
	require.Contains(t, zh, `<html lang="zh-CN">`)
	for _, s := range []string{"累计完成趋势", "销售漏斗", "排行榜", "未解除的预警", "进度落后", "商机停滞", "¥151,463.00", "¥300,000.00", "截至 2026-04-15"} {
		require.Contains(t, zh, s)
	}
	en := render(t, sample(), "")
	require.Contains(t, en, `<html lang="en">`)
	for _, s := range []string{"Burn-up", "Funnel", "Leaderboard", "Open alerts", "Behind pace", "Deals stuck", "CN¥151,463.00", "as of 2026-04-15"} {
		require.Contains(t, en, s)
	}
	require.NotContains(t, en, "累计完成趋势")

	var b bytes.Buffer
	err := report.Render(&b, sample(), report.Lang("fr"))
	require.ErrorIs(t, err, report.ErrInvalid)
	require.ErrorContains(t, err, "zh-CN")
	require.Zero(t, b.Len(), "nothing written on error")
	require.ErrorIs(t, report.Render(&b, sample(), "not a tag!"), report.ErrInvalid)
	require.Contains(t, render(t, sample(), "zh"), `<html lang="zh-CN">`)
	require.Contains(t, render(t, sample(), "en-GB"), `<html lang="en">`)
}

// TestRenderSelfContained: no script, no external resource, every chart
// inline, the CJK fonts named before the generic family.
func TestRenderSelfContained(t *testing.T) {
	page := render(t, sample(), report.Chinese)
	require.NotContains(t, page, "<script")
	require.NotRegexp(t, `(?i)(src|href)\s*=`, page)
	require.NotContains(t, page, "url(")
	require.NotContains(t, page, "@import")
	require.Equal(t, 1+1+1+2, strings.Count(page, "<svg"), "burn-up, funnel, heat map, one bar per leader")
	stack := regexp.MustCompile(`font-family: ([^;]*);`).FindStringSubmatch(page)
	require.NotNil(t, stack)
	cjk := strings.Index(stack[1], `"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"`)
	require.GreaterOrEqual(t, cjk, 0, stack[1])
	require.Less(t, cjk, strings.Index(stack[1], "sans-serif"))
}

// TestRenderEscapes: host text is text, never markup.
func TestRenderEscapes(t *testing.T) {
	d := sample()
	d.Title = `<script>alert(1)</script>`
	d.Heatmap.Rows[0].Unit = `"><img src=x>`
	page := render(t, d, report.English)
	require.NotContains(t, page, "<script>alert")
	require.NotContains(t, page, "<img")
	require.Contains(t, page, "&lt;script&gt;")
}

func TestRenderCounts(t *testing.T) {
	page := render(t, sample(), report.English)
	for class, n := range map[string]int{
		`class="plan-line"`:          1,
		`class="actual-line"`:        1,
		`class="marker"`:             2,
		`class="funnel-bar"`:         3,
		`class="funnel-bar won"`:     1,
		`class="funnel-ci"`:          3,
		`class="heat-cell"`:          10, // 12 cells, 2 of them in progress
		`class="heat-cell progress"`: 2,
		`class="lead-bar"`:           2,
	} {
		require.Equal(t, n, strings.Count(page, class), class)
	}
	// The actual stops on the as-of day: the origin and four points.
	actual := regexp.MustCompile(`class="actual-line" points="([^"]*)"`).FindStringSubmatch(page)
	require.Len(t, strings.Fields(actual[1]), 5)

	// Without a funnel, no funnel section.
	d := sample()
	d.Funnel = nil
	require.NotContains(t, render(t, d, report.English), `id="funnel"`)
	// A stage no deal entered has no interval.
	d = sample()
	d.Funnel.Stages[2] = report.Stage{Name: "Proposal"}
	d.Funnel.Won = 0
	require.Equal(t, 2, strings.Count(render(t, d, report.English), `class="funnel-ci"`))
}

// TestRenderEmpty: a report with nothing but its period still renders, with
// the empty sections saying so.
func TestRenderEmpty(t *testing.T) {
	d := &report.Data{Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1), AsOf: date.New(2026, 1, 1)}
	for _, lang := range []report.Lang{report.English, report.Chinese} {
		page := render(t, d, lang)
		require.Equal(t, 1, strings.Count(page, "<svg"), "the burn-up's axes only")
		require.NotContains(t, page, `id="funnel"`)
	}
	require.Contains(t, render(t, d, report.English), "No alert is firing.")
	require.Contains(t, render(t, d, report.Chinese), "当前没有触发中的预警。")
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(d *report.Data)
		field  string
	}{
		{"no period", func(d *report.Data) { d.Start, d.End = 0, 0 }, "Start, End"},
		{"reversed period", func(d *report.Data) { d.End = d.Start }, "Start, End"},
		{"as of after the period", func(d *report.Data) { d.AsOf = d.End }, "AsOf"},
		{"places", func(d *report.Data) { d.Places = 7 }, "Places"},
		{"currency", func(d *report.Data) { d.Currency = "RMB" }, "Currency"},
		{"points out of order", func(d *report.Data) { d.Burnup[1].Day = d.Burnup[0].Day }, "Burnup[1].Day"},
		{"point after the period", func(d *report.Data) { d.Burnup[6].Day = d.End }, "Burnup[6].Day"},
		{"marker count", func(d *report.Data) { d.Markers[0].Count = 0 }, "Markers[0]"},
		{"marker before the period", func(d *report.Data) { d.Markers[0].Day = d.Start - 1 }, "Markers[0]"},
		{"advanced more than entered", func(d *report.Data) { d.Funnel.Stages[0].Advanced = 401 }, "Funnel.Stages[0]"},
		{"rate outside its interval", func(d *report.Data) { d.Funnel.Stages[1].Rate = dec("0.9") }, "Funnel.Stages[1]"},
		{"rate above one", func(d *report.Data) { d.Funnel.Stages[1].High = dec("1.1") }, "Funnel.Stages[1]"},
		{"won negative", func(d *report.Data) { d.Funnel.Won = -1 }, "Funnel.Won"},
		{"short heat row", func(d *report.Data) { d.Heatmap.Rows[1].Cells = d.Heatmap.Rows[1].Cells[:5] }, "Heatmap.Rows[1].Cells"},
		{"bad UTF-8", func(d *report.Data) { d.Alerts[0].Unit = "\xff" }, "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sample()
			tc.change(d)
			err := d.Validate()
			require.ErrorIs(t, err, report.ErrInvalid)
			require.ErrorContains(t, err, "report: "+tc.field)
			var b bytes.Buffer
			require.True(t, errors.Is(report.Render(&b, d, report.English), report.ErrInvalid))
			require.Zero(t, b.Len())
		})
	}
	require.NoError(t, sample().Validate())
	require.ErrorIs(t, report.Render(&bytes.Buffer{}, nil, report.English), report.ErrInvalid)
}

// TestMoney: the language's own currency takes its narrow symbol, another
// its full one; amounts are exact however large.
func TestMoney(t *testing.T) {
	money := func(amount, code string, places int32, lang report.Lang) string {
		d := &report.Data{Start: date.New(2026, 1, 1), End: date.New(2026, 2, 1), AsOf: date.New(2026, 1, 1), Currency: code, Places: places,
			Leaders: []report.Leader{{Unit: "u", Target: dec(amount)}}}
		page := render(t, d, lang)
		m := regexp.MustCompile(`<td>u</td><td class="num">([^<]*)</td>`).FindStringSubmatch(page)
		require.NotNil(t, m, page)
		return m[1]
	}
	for _, tc := range []struct {
		amount, code string
		places       int32
		lang         report.Lang
		want         string
	}{
		{"151463", "CNY", 2, report.Chinese, "¥151,463.00"},
		{"151463", "CNY", 2, report.English, "CN¥151,463.00"},
		{"1200.5", "USD", 2, report.English, "$1,200.50"},
		{"1200.5", "USD", 0, report.Chinese, "US$1,201"},
		{"-12300", "CNY", 2, report.Chinese, "-¥12,300.00"},
		{"0.999", "CNY", 2, report.Chinese, "¥1.00"},
		{"-0.001", "CNY", 2, report.Chinese, "¥0.00"},
		{"123456789012345678901.23", "CNY", 2, report.Chinese, "¥123456789012345678901.23"},
		{"9007199254740993.01", "CNY", 2, report.Chinese, "¥9,007,199,254,740,993.01"},
		{"42", "", 0, report.English, "42"},
	} {
		require.Equal(t, tc.want, money(tc.amount, tc.code, tc.places, tc.lang), "%s %s %s", tc.amount, tc.code, tc.lang)
	}
}
