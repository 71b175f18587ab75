package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rickb777/date/v2"
)

// Burn-up geometry, in SVG user units.
const (
	burnW, burnH        = 760, 320
	burnLeft, burnRight = 96, 16
	burnTop, burnBottom = 16, 48
	burnPlotW           = burnW - burnLeft - burnRight
	burnPlotH           = burnH - burnTop - burnBottom
	markerSize          = 7
	maxXTicks, yTicks   = 12, 4
	burnMarkerOffset    = 4 // markers sit this far above the x axis
)

// burnupView is the burn-up chart, ready to print.
type burnupView struct {
	W, H       int
	Plan       string // polyline points
	Actual     string
	AsOfX      float64
	Top, Base  float64 // the plot's top and bottom y
	Left       float64
	Right      float64
	YTicks     []tick
	XTicks     []tick
	Markers    []markerView
	PlanLabel  string
	ActLabel   string
	MarkLabel  string
	LegendY    float64
	PlanLegend float64 // x of the legend entries
	ActLegend  float64
	MarkLegend float64
}

type tick struct {
	Pos   float64 // x or y
	Label string
}

type markerView struct {
	Points string // the triangle
	Title  string
}

// burnup lays out d's burn-up: x is the end of each day, y the cumulative
// amount on a scale rounded up to a readable number.
func burnup(d *Data, l *locale) burnupView {
	span := float64(d.End - d.Start)
	x := func(day date.Date) float64 { return burnLeft + float64(day+1-d.Start)/span*burnPlotW }
	top := 0.0
	for _, p := range d.Burnup {
		top = max(top, p.Plan.InexactFloat64())
		if p.Actual.Valid {
			top = max(top, p.Actual.Decimal.InexactFloat64())
		}
	}
	top = niceCeil(top)
	y := func(v float64) float64 { return burnTop + burnPlotH - v/top*burnPlotH }
	v := burnupView{W: burnW, H: burnH, Top: burnTop, Base: burnTop + burnPlotH, Left: burnLeft, Right: burnLeft + burnPlotW,
		AsOfX: round1(x(d.AsOf)), PlanLabel: l.text.PlanCurve, ActLabel: l.text.Actual, MarkLabel: l.text.AlertsFired,
		LegendY: burnH - 8}
	v.PlanLegend, v.ActLegend, v.MarkLegend = burnLeft, burnLeft+120, burnLeft+240
	origin := pt(x(d.Start-1), y(0))
	plan, actual := []string{origin}, []string{origin}
	for _, p := range d.Burnup {
		plan = append(plan, pt(x(p.Day), y(p.Plan.InexactFloat64())))
		if p.Actual.Valid {
			actual = append(actual, pt(x(p.Day), y(p.Actual.Decimal.InexactFloat64())))
		}
	}
	v.Plan, v.Actual = strings.Join(plan, " "), strings.Join(actual, " ")
	for i := 0; i <= yTicks; i++ {
		val := top * float64(i) / yTicks
		v.YTicks = append(v.YTicks, tick{round1(y(val)), l.money(decimalOf(val), d.Currency, 0)})
	}
	for _, m := range monthStarts(d.Start, d.End) {
		v.XTicks = append(v.XTicks, tick{round1(x(m - 1)), fmt.Sprintf("%04d-%02d", m.Year(), m.Month())})
	}
	for _, m := range d.Markers {
		mx, my := x(m.Day), float64(burnTop+burnPlotH-burnMarkerOffset)
		v.Markers = append(v.Markers, markerView{
			Points: strings.Join([]string{pt(mx, my-markerSize), pt(mx-markerSize/2.0, my), pt(mx+markerSize/2.0, my)}, " "),
			Title:  fmt.Sprintf(l.text.FiredOn, m.Day, l.integer(m.Count)),
		})
	}
	return v
}

// monthStarts returns the first days of the months that start in
// [start, end), thinned to at most maxXTicks, always including the first.
func monthStarts(start, end date.Date) []date.Date {
	var out []date.Date
	y, m, _ := start.Date()
	for d := date.New(y, m, 1); d < end; {
		if d >= start {
			out = append(out, d)
		}
		m++
		if m > 12 {
			y, m = y+1, 1
		}
		d = date.New(y, m, 1)
	}
	step := (len(out) + maxXTicks - 1) / maxXTicks
	if step <= 1 {
		return out
	}
	var thin []date.Date
	for i := 0; i < len(out); i += step {
		thin = append(thin, out[i])
	}
	return thin
}

// niceCeil rounds v up to a round number (at least 1) whose quarters are
// round too, so the y axis reads in round numbers.
func niceCeil(v float64) float64 {
	if v <= 1 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

func pt(x, y float64) string { return ff(x) + "," + ff(y) }

// ff writes a coordinate with one decimal place, the same on every platform.
func ff(v float64) string { return strconv.FormatFloat(round1(v), 'f', -1, 64) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }
