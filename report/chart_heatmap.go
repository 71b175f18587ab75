package report

import (
	"fmt"
	"math"
)

// Heat-map geometry, in SVG user units.
const (
	heatCellW, heatCellH = 48, 22
	heatLabelW           = 200
	heatHeadH            = 28
)

// heatmapView is the heat map, ready to print.
type heatmapView struct {
	W, H         int
	LabelX       int    // right edge of the unit names
	CellW, CellH int    // a cell, less a 2-unit gutter
	Columns      []tick // period labels, x of each column's centre
	Rows         []heatRowView
}

type heatRowView struct {
	Y, TextY float64
	Unit     string
	Cells    []heatCellView
}

type heatCellView struct {
	X, TextX   float64
	Fill       string
	Text       string // the rounded attainment, or "–"
	Title      string
	InProgress bool
}

// heatmap lays out h: a cell per unit and period, coloured from red (0%)
// through yellow to green (100% and more), grey without a target.
func heatmap(h Heatmap, l *locale) heatmapView {
	v := heatmapView{W: heatLabelW + len(h.Periods)*heatCellW + 4, H: heatHeadH + len(h.Rows)*heatCellH + 4,
		LabelX: heatLabelW - 8, CellW: heatCellW - 2, CellH: heatCellH - 2}
	for j, p := range h.Periods {
		v.Columns = append(v.Columns, tick{float64(heatLabelW + j*heatCellW + heatCellW/2), p})
	}
	for i, r := range h.Rows {
		y := float64(heatHeadH + i*heatCellH)
		row := heatRowView{Y: y, TextY: y + heatCellH/2 + 4, Unit: r.Unit}
		for j, c := range r.Cells {
			x := float64(heatLabelW + j*heatCellW)
			cv := heatCellView{X: x + 1, TextX: x + heatCellW/2, Fill: "#e5e7eb", Text: "–", InProgress: c.InProgress,
				Title: r.Unit + " · " + h.Periods[j] + ": " + l.text.NoTarget}
			if c.Attainment.Valid {
				a := c.Attainment.Decimal
				cv.Fill = heatColour(a.InexactFloat64())
				cv.Text = l.amount(a.Shift(2), 0) + "%"
				cv.Title = r.Unit + " · " + h.Periods[j] + ": " + l.percent(a)
			}
			if c.InProgress {
				cv.Title += " (" + l.text.InProgress + ")"
			}
			row.Cells = append(row.Cells, cv)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// heatColour maps an attainment to a hue from red (0) to green (1 or more).
func heatColour(a float64) string {
	if math.IsNaN(a) {
		a = 0
	}
	hue := math.Round(math.Min(math.Max(a, 0), 1) * 120)
	return fmt.Sprintf("hsl(%g, 70%%, 62%%)", hue)
}
