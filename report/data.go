package report

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// ErrInvalid reports Data that cannot be drawn, or an unsupported
// language. The error names the field and what to change.
var ErrInvalid = errors.New("report: invalid input")

// Data is everything a report shows, as plain values: a host fills it from
// its own numbers (or FromEngine does, from a goalkit Engine) and may adjust
// any field, a title in the reader's language for instance, before Render.
// Amounts are exact decimals; rates are fractions (1 = 100%).
type Data struct {
	Title    string    // the page's heading
	Plan     string    // the plan's name or ID, shown under the title
	Metric   string    // what the plan measures: "Won revenue"
	Currency string    // ISO 4217 code of the amounts; empty for counts
	Places   int32     // decimal places the amounts are shown with, 0..6
	Start    date.Date // the plan's period is [Start, End); required
	End      date.Date
	AsOf     date.Date // the last day counted, in [Start, End)

	// Burnup is the cumulative plan and actual through each point's day,
	// in increasing day order within the period. The chart starts both
	// lines at zero on Start.
	Burnup []Point
	// Markers are the days alerts fired, drawn as triangles under the
	// burn-up, each day once.
	Markers []Marker
	// Funnel is the conversion from stage to stage; nil leaves the section
	// out.
	Funnel *Funnel
	// Heatmap is the attainment of units (rows) over periods (columns).
	Heatmap Heatmap
	// Leaders are units ranked best first.
	Leaders []Leader
	// Alerts are the open (firing) alerts.
	Alerts []Alert
}

// Point is the cumulative plan and actual from Data.Start through Day.
type Point struct {
	Day    date.Date
	Plan   decimal.Decimal     // what the plan's curve expects by the end of Day
	Actual decimal.NullDecimal // invalid after AsOf: the future has no actual
}

// Marker is a day on which Count alerts fired.
type Marker struct {
	Day   date.Date
	Count int
}

// Funnel is a funnel measured over the period.
type Funnel struct {
	Stages []Stage
	Won    int // deals won, drawn as the last bar
}

// Stage is one open stage of a funnel: the deals that entered it and the
// conversion to the next stage (to won, for the last one).
type Stage struct {
	Name     string
	Entered  int
	Advanced int
	// Rate is the conversion, Low and High its 95% interval, all in [0, 1]
	// with Low ≤ Rate ≤ High.
	Rate, Low, High decimal.Decimal
}

// Heatmap is a table of attainment: one row per unit, one column per
// period, every row with one cell per period.
type Heatmap struct {
	Periods []string // column labels: "2017-03", "2017-Q2"
	Rows    []HeatRow
}

// HeatRow is one unit's attainment over the heat map's periods.
type HeatRow struct {
	Unit  string // the unit's name
	Cells []Cell
}

// Cell is one unit's attainment in one period.
type Cell struct {
	// Attainment is actual ÷ target; invalid when there is no target (no
	// goal, a zero target, or a period not started by AsOf).
	Attainment decimal.NullDecimal
	// InProgress marks a period that had not ended by AsOf.
	InProgress bool
}

// Leader is one row of the leaderboard.
type Leader struct {
	Unit       string
	Target     decimal.Decimal
	Actual     decimal.Decimal
	Attainment decimal.NullDecimal // invalid for a zero target
}

// Alert is one open alert.
type Alert struct {
	Rule    string    // the rule's key: "pace", "stagnation", ...; known keys are translated
	Unit    string    // the unit's name
	Subject string    // what it is about: "Won revenue 2017-Q3"
	Since   date.Date // the day it fired
}

// Validate reports the first problem that would make the page wrong: a
// missing or reversed period, points or markers out of order or outside the
// period, rates outside [0, 1], heat-map rows of the wrong length, an
// unknown currency, text that is not UTF-8.
func (d *Data) Validate() error {
	switch {
	case d.Start == 0 || d.End <= d.Start:
		return invalid("Start, End", fmt.Sprintf("[%s, %s)", d.Start, d.End), "give the plan's period, End after Start")
	case d.AsOf < d.Start || d.AsOf >= d.End:
		return invalid("AsOf", d.AsOf.String(), fmt.Sprintf("give a day in [%s, %s)", d.Start, d.End))
	case d.Places < 0 || d.Places > 6:
		return invalid("Places", fmt.Sprint(d.Places), "give 0 to 6 decimal places")
	}
	if d.Currency != "" {
		if _, err := currency.ParseISO(d.Currency); err != nil {
			return invalid("Currency", d.Currency, "give an ISO 4217 code such as CNY or USD, or leave it empty for counts")
		}
	}
	if err := checkText(d.Title, d.Plan, d.Metric); err != nil {
		return err
	}
	prev := d.Start - 1
	for i, p := range d.Burnup {
		if p.Day <= prev || p.Day >= d.End {
			return invalid(fmt.Sprintf("Burnup[%d].Day", i), p.Day.String(), fmt.Sprintf("give days in increasing order within [%s, %s)", d.Start, d.End))
		}
		prev = p.Day
	}
	prev = d.Start - 1
	for i, m := range d.Markers {
		if m.Day <= prev || m.Day >= d.End || m.Count < 1 {
			return invalid(fmt.Sprintf("Markers[%d]", i), fmt.Sprintf("%s ×%d", m.Day, m.Count), "give each day once, in increasing order within the period, with a positive count")
		}
		prev = m.Day
	}
	if err := d.Funnel.validate(); err != nil {
		return err
	}
	for i, r := range d.Heatmap.Rows {
		if len(r.Cells) != len(d.Heatmap.Periods) {
			return invalid(fmt.Sprintf("Heatmap.Rows[%d].Cells", i), fmt.Sprint(len(r.Cells)), fmt.Sprintf("give one cell per period (%d)", len(d.Heatmap.Periods)))
		}
		if err := checkText(r.Unit); err != nil {
			return err
		}
	}
	if err := checkText(d.Heatmap.Periods...); err != nil {
		return err
	}
	for _, l := range d.Leaders {
		if err := checkText(l.Unit); err != nil {
			return err
		}
	}
	for _, a := range d.Alerts {
		if err := checkText(a.Rule, a.Unit, a.Subject); err != nil {
			return err
		}
	}
	return nil
}

func (f *Funnel) validate() error {
	if f == nil {
		return nil
	}
	one := decimal.NewFromInt(1)
	for i, s := range f.Stages {
		field := fmt.Sprintf("Funnel.Stages[%d]", i)
		switch {
		case s.Entered < 0 || s.Advanced < 0 || s.Advanced > s.Entered:
			return invalid(field, fmt.Sprintf("%d entered, %d advanced", s.Entered, s.Advanced), "counts are non-negative and no more deals advance than entered")
		case s.Low.IsNegative() || s.Low.GreaterThan(s.Rate) || s.Rate.GreaterThan(s.High) || s.High.GreaterThan(one):
			return invalid(field, fmt.Sprintf("rate %s in [%s, %s]", s.Rate, s.Low, s.High), "give 0 ≤ Low ≤ Rate ≤ High ≤ 1")
		}
		if err := checkText(s.Name); err != nil {
			return err
		}
	}
	if f.Won < 0 {
		return invalid("Funnel.Won", fmt.Sprint(f.Won), "give the number of deals won, zero or more")
	}
	return nil
}

// checkText rejects text that is not valid UTF-8.
func checkText(ss ...string) error {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return invalid("text", fmt.Sprintf("%q", s), "give valid UTF-8")
		}
	}
	return nil
}

func invalid(field, value, fix string) error {
	return fmt.Errorf("report: %s %s: %s: %w", field, value, fix, ErrInvalid)
}
