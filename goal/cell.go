package goal

import (
	"fmt"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// DaySplit says how TargetOf spreads a stored goal over its days when the
// period asked for cuts through it (a week across two months of a plan that
// stops at months). It should match the plan's TimeRule.
type DaySplit struct {
	// Calendar counts working days; nil means NewCalendar(nil).
	Calendar *Calendar
	// Basis weighs the days: calendar days (the default) or working days.
	Basis DayBasis
	// Org, when set, gives the units' active days: a day on which a unit is
	// not active weighs zero, as in Decompose. Nil (or a unit the org does
	// not hold) counts every day.
	Org *Org
}

// TargetOf returns unit's target for any period q the plan covers, even
// where the plan stores no goal for that cell: a region's month is the sum
// of its reps' months, a rep's week the sum of the days of the months it
// touches.
//
// It starts from the unit's own goals that no goal of the same unit was
// decomposed from (its goal for the plan's period) and descends: a goal
// whose period lies inside q counts whole; one q does not touch counts
// nothing; one q cuts through counts what its children (units or periods)
// give for q; and a goal with no children that q cuts through is spread over
// its days by Allocate, weighted as s says, and its days inside q are
// summed. The result is exact in minor units and additive: the targets of
// the weeks of a month, or of the units under a region, sum to the month's
// or the region's whenever the plan is exact (Check empty) and its children
// cover their parents' periods, as Decompose's do. A day split of a goal
// the plan stopped above days may differ by minor units from what
// decomposing down to days would have given through intermediate grains.
//
// Errors: a plan without an index or an empty period is ErrInvalid; a unit
// with no goal in the plan, or a period reaching outside the unit's goals,
// is ErrNotFound.
func (p *Plan) TargetOf(unit string, q Period, s DaySplit) (decimal.Decimal, error) {
	if !p.indexed() {
		return decimal.Zero, p.unindexed()
	}
	if q.End <= q.Start {
		return decimal.Zero, invalid("period", q.Label, "it is empty; give a period whose end is after its start")
	}
	if s.Calendar == nil {
		s.Calendar, _ = NewCalendar(nil)
	}
	var (
		sum     = decimal.Zero
		covered int
		found   bool
	)
	for i, g := range p.Goals {
		if g.Unit != unit || (i > 0 && p.Goals[p.index[g.Parent]].Unit == unit) {
			continue
		}
		found = true
		a, b := max(q.Start, g.Period.Start), min(q.End, g.Period.End)
		if b <= a {
			continue
		}
		covered += int(b - a)
		v, err := p.cellValue(i, q, s)
		if err != nil {
			return decimal.Zero, err
		}
		sum = sum.Add(v)
	}
	switch {
	case !found:
		return decimal.Zero, fmt.Errorf("goal: target of %q: plan %q has no goal for the unit (decomposed above it, or not in its org): %w", Excerpt(unit), p.ID, ErrNotFound)
	case covered < q.Days():
		return decimal.Zero, fmt.Errorf("goal: target of %q in %s: plan %q covers only %d of its %d days for the unit; ask for a period within the plan's: %w", Excerpt(unit), q, p.ID, covered, q.Days(), ErrNotFound)
	}
	return sum, nil
}

// cellValue is goal i's part of period q.
func (p *Plan) cellValue(i int, q Period, s DaySplit) (decimal.Decimal, error) {
	g := p.Goals[i]
	a, b := max(q.Start, g.Period.Start), min(q.End, g.Period.End)
	switch {
	case b <= a:
		return decimal.Zero, nil
	case a == g.Period.Start && b == g.Period.End:
		return g.Target, nil
	}
	kids := p.childIndexes(i)
	if len(kids) == 0 {
		return p.daysPart(g, a, b, s)
	}
	sum := decimal.Zero
	for _, k := range kids {
		v, err := p.cellValue(int(k), q, s)
		if err != nil {
			return decimal.Zero, err
		}
		sum = sum.Add(v)
	}
	return sum, nil
}

// daysPart spreads g's target over its days and sums those in [a, b).
func (p *Plan) daysPart(g Goal, a, b date.Date, s DaySplit) (decimal.Decimal, error) {
	from, to := g.Period.Start, g.Period.End
	if s.Org != nil {
		if u, err := s.Org.Unit(g.Unit); err == nil {
			from, to = activeWindow(u, g.Period)
		}
	}
	n := g.Period.Days()
	shares := make([]Share, n)
	weigh := func(on func(d date.Date) bool) bool {
		some := false
		for k := range shares {
			d := g.Period.Start + date.Date(k)
			w := int64(0)
			if on(d) {
				w, some = 1, true
			}
			shares[k].Weight = decimal.NewFromInt(w)
		}
		return some
	}
	active := func(d date.Date) bool { return d >= from && d < to }
	ok := s.Basis == ByWorkingDays && weigh(func(d date.Date) bool { return active(d) && s.Calendar.IsWorkingDay(d) })
	if !ok && !weigh(active) {
		weigh(func(date.Date) bool { return true })
	}
	vs, err := Allocate(Allocation{Total: g.Target, Places: p.Metric.Places, Shares: shares})
	if err != nil {
		return decimal.Zero, fmt.Errorf("goal: split %q over its days: %w", g.ID, err)
	}
	sum := decimal.Zero
	for d := a; d < b; d++ {
		sum = sum.Add(vs[d-g.Period.Start])
	}
	return sum, nil
}
