package report

// Funnel geometry, in SVG user units.
const (
	funW                = 760
	funRow, funBarH     = 40, 28
	funBarX, funBarMaxW = 140, 300 // bars are centred in [funBarX, funBarX+funBarMaxW]
	funCIX, funCIW      = 560, 180 // the interval axis, 0% to 100%
	funTop              = 24
)

// funnelView is the funnel chart, ready to print.
type funnelView struct {
	W, H       int
	Bars       []funnelBar
	CIs        []funnelCI
	CIX, CIEnd float64
	BarMid     float64 // x of the counts, the bars' centre
	HeadY      float64
	StageHead  string
	ConvHead   string
}

type funnelBar struct {
	X, Y, W, H float64
	LabelX     float64 // the stage name, left of the bars
	TextY      float64
	Name       string
	Count      string
	Won        bool
}

type funnelCI struct {
	Y              float64
	Low, High, Dot float64 // x positions
	Text           string  // "23.4% (19.0%–28.1%)"
	Title          string
}

// funnelChart lays out f: one bar per stage and one for the deals won, each
// as wide as its count against the widest, and for each stage its
// conversion as a dot on a 0–100% axis with its interval as a line (none
// for a stage no deal entered).
func funnelChart(f *Funnel, l *locale) funnelView {
	rows := len(f.Stages) + 1
	v := funnelView{W: funW, H: funTop + rows*funRow, CIX: funCIX, CIEnd: funCIX + funCIW, HeadY: 14, BarMid: funBarX + funBarMaxW/2,
		StageHead: l.text.Stage, ConvHead: l.text.Conversion + " · " + l.text.Interval}
	widest := f.Won
	for _, s := range f.Stages {
		widest = max(widest, s.Entered)
	}
	bar := func(i, count int, name string, won bool) funnelBar {
		w := 0.0
		if widest > 0 {
			w = float64(count) / float64(widest) * funBarMaxW
		}
		w = max(w, 2) // a stage with no deal is still visible
		y := float64(funTop + i*funRow)
		return funnelBar{X: round1(funBarX + (funBarMaxW-w)/2), Y: y, W: round1(w), H: funBarH,
			LabelX: funBarX - 8, TextY: y + funBarH/2 + 4, Name: name, Count: l.integer(count), Won: won}
	}
	for i, s := range f.Stages {
		v.Bars = append(v.Bars, bar(i, s.Entered, s.Name, false))
		if s.Entered == 0 {
			continue // no cohort: no conversion to draw
		}
		at := func(r float64) float64 { return round1(funCIX + r*funCIW) }
		y := float64(funTop+i*funRow) + funBarH/2
		v.CIs = append(v.CIs, funnelCI{Y: y, Low: at(s.Low.InexactFloat64()), High: at(s.High.InexactFloat64()), Dot: at(s.Rate.InexactFloat64()),
			Text:  l.percent(s.Rate) + " (" + l.percent(s.Low) + "–" + l.percent(s.High) + ")",
			Title: s.Name + ": " + l.integer(s.Advanced) + " / " + l.integer(s.Entered)})
	}
	v.Bars = append(v.Bars, bar(len(f.Stages), f.Won, l.text.Won, true))
	return v
}
