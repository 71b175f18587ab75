package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/shopspring/decimal"
)

//go:embed page.html.tmpl
var pageSource string

var page = template.Must(template.New("page").Parse(pageSource))

// FontStack is the page's font-family: Latin fonts, then the common CJK
// fonts of macOS, Windows and Linux, then the generic family, so a Chinese
// page never falls back to a font without Chinese glyphs while one of them
// is installed.
const FontStack = `"Helvetica Neue", Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif`

// Render checks d (Data.Validate) and writes the report as one HTML page in
// lang (English or Chinese; empty means English). Nothing is written
// when d is invalid or the language is not supported (ErrInvalid). The
// same d and lang always give the same bytes.
func Render(w io.Writer, d *Data, lang Lang) error {
	l, err := newLocale(lang)
	if err != nil {
		return err
	}
	if d == nil {
		return invalid("Data", "nil", "pass the report's data")
	}
	if err := d.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, view(d, l)); err != nil {
		return fmt.Errorf("report: render: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report: write: %w", err)
	}
	return nil
}

// pageView is everything the template prints, already formatted.
type pageView struct {
	T        *catalogue
	Fonts    template.CSS
	Title    string
	Subtitle string
	Burnup   burnupView
	Funnel   *funnelView
	Heatmap  heatmapView
	Leaders  []leaderRow
	Alerts   []alertRow
}

type leaderRow struct {
	Rank                      int
	Unit                      string
	Target, Actual, Attaining string
	BarW                      float64 // the attainment bar, 100% = leaderBarW
}

type alertRow struct{ Rule, Unit, Subject, Since string }

const leaderBarW = 120

func view(d *Data, l *locale) pageView {
	money := func(v decimal.Decimal) string { return l.money(v, d.Currency, d.Places) }
	v := pageView{T: l.text, Fonts: template.CSS(FontStack), Title: d.Title,
		Subtitle: fmt.Sprintf("%s · %s · %s – %s · %s %s", d.Plan, d.Metric, d.Start, d.End-1, l.text.AsOf, d.AsOf),
		Burnup:   burnup(d, l), Heatmap: heatmap(d.Heatmap, l)}
	if d.Funnel != nil {
		f := funnelChart(d.Funnel, l)
		v.Funnel = &f
	}
	for i, r := range d.Leaders {
		row := leaderRow{Rank: i + 1, Unit: r.Unit, Target: money(r.Target), Actual: money(r.Actual), Attaining: "–"}
		if r.Attainment.Valid {
			row.Attaining = l.percent(r.Attainment.Decimal)
			row.BarW = round1(min(max(r.Attainment.Decimal.InexactFloat64(), 0), 1.5) * leaderBarW / 1.5)
		}
		v.Leaders = append(v.Leaders, row)
	}
	for _, a := range d.Alerts {
		v.Alerts = append(v.Alerts, alertRow{Rule: l.text.ruleName(a.Rule), Unit: a.Unit, Subject: a.Subject, Since: a.Since.String()})
	}
	return v
}

func decimalOf(v float64) decimal.Decimal { return decimal.NewFromFloat(v) }
