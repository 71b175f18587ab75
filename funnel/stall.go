package funnel

import (
	"cmp"
	"slices"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Stall is an open deal that has sat in its stage for longer than a
// multiple of the stage's typical duration.
type Stall struct {
	Deal    string
	Unit    string
	Stage   string
	Since   date.Date // day it entered the stage
	Days    int       // days in the stage as of the as-of date
	Typical int       // days: the model's typical duration of the stage (Stalled), or the stage's age limit (Measurement.Stalled)
}

// Stalled lists the deals open as of asOf that have been in their current
// stage for more than multiple × the stage's typical duration (Model.Days;
// a typical duration of 0 counts as 1 day, so same-day stages still need a
// day's grace). multiple must be positive; 2 flags deals at twice the
// typical stay. The list is ordered by Days, longest first, then by deal ID.
// Deals must be valid in the model's funnel.
func Stalled(m Model, deals []Deal, asOf date.Date, multiple decimal.Decimal) ([]Stall, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if asOf == 0 {
		return nil, invalid("as-of date", "", "give the day to check; the package never reads the clock")
	}
	if multiple.Sign() <= 0 {
		return nil, invalid("stall multiple", multiple.String(), "give a positive multiple of the typical stage duration, such as 2")
	}
	var out []Stall
	var tr trace
	for i := range deals {
		d := &deals[i]
		if err := d.Validate(m.Funnel); err != nil {
			return nil, err
		}
		if !traceOf(m.Funnel, d, asOf, &tr) || tr.outcome != kindOpen || tr.current < 0 {
			continue
		}
		typical := m.Stages[tr.current].Days
		days := int(asOf - tr.since)
		if decimal.NewFromInt(int64(days)).Cmp(multiple.Mul(decimal.NewFromInt(int64(max(typical, 1))))) > 0 {
			out = append(out, Stall{Deal: d.ID, Unit: d.Unit, Stage: m.Funnel.Stages[tr.current].Key, Since: tr.since, Days: days, Typical: typical})
		}
	}
	sortStalls(out)
	return out, nil
}

// sortStalls orders stalls by Days, longest first, then by deal ID.
func sortStalls(out []Stall) {
	slices.SortFunc(out, func(a, b Stall) int { return cmp.Or(cmp.Compare(b.Days, a.Days), cmp.Compare(a.Deal, b.Deal)) })
}
