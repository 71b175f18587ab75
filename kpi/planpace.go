package kpi

import (
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/decfast"
)

// PlanPace gives every goal of a plan the pace the plan itself sets, so
// that every reader of a plan (the Engine over a store, a host over its
// Ledger) measures time progress the same way:
//
//   - a goal split over time is paced along its sub-periods' targets
//     (a seasonal Pace), each sub-period replaced by its own curve when it is split
//     further: a year over quarters over months follows the months;
//   - a goal split over units only follows the sum of its children's
//     curves, period by period;
//   - a goal with neither, or whose sub-targets are all zero (they say
//     nothing about seasonality), is paced by working days of the calendar,
//     or by calendar days when its period has no working day or no calendar
//     was given.
//
// Curves are computed on demand and kept, so asking for a few goals of a
// large plan costs the subtrees asked about, not every goal's curve. A
// PlanPace reads its plan and never changes it; it is not safe for
// concurrent use (it fills its memo as it goes).
type PlanPace struct {
	p    *goal.Plan
	cal  *goal.Calendar
	memo [][]Weight
	done []bool
}

// NewPlanPace returns the paces of p's goals, counting working days by cal
// (nil: calendar days). p must be indexed (built by goal.NewPlan, Decompose
// or Replan); a plan without an index has no curves, so every goal gets the
// pace of a leaf.
func NewPlanPace(p *goal.Plan, cal *goal.Calendar) *PlanPace {
	return &PlanPace{p: p, cal: cal, memo: make([][]Weight, len(p.Goals)), done: make([]bool, len(p.Goals))}
}

// Of returns the pace of goal g: the plan's curve of the plan's goal with
// g's ID, or, when the plan has no goal with that ID or the goal has no
// curve, the pace of a leaf over g's period.
func (pp *PlanPace) Of(g goal.Goal) Pace {
	if i, ok := pp.p.Index(g.ID); ok {
		if c := pp.curve(int32(i)); len(c) > 0 {
			return pp.seasonal(c)
		}
	}
	return pp.leaf(g.Period)
}

// At returns the pace of the goal at position i of the plan's Goals; i
// must be in range.
func (pp *PlanPace) At(i int) Pace {
	if c := pp.curve(int32(i)); len(c) > 0 {
		return pp.seasonal(c)
	}
	return pp.leaf(pp.p.Goals[i].Period)
}

func (pp *PlanPace) seasonal(c []Weight) Pace {
	if pp.cal == nil {
		return Pace{Curve: c}
	}
	return Pace{Days: goal.ByWorkingDays, Calendar: pp.cal, Curve: c}
}

// Curve returns the plan's own seasonal curve of the goal at position i,
// sorted by period; nil when the goal is paced as a leaf. The slice is
// shared: do not modify it.
func (pp *PlanPace) Curve(i int) []Weight {
	if i < 0 || i >= len(pp.p.Goals) {
		return nil
	}
	return pp.curve(int32(i))
}

// leaf is the pace of a goal without a curve.
func (pp *PlanPace) leaf(p goal.Period) Pace {
	if pp.cal == nil || pp.cal.WorkingDays(p.Start, p.End) == 0 {
		return Pace{}
	}
	return Pace{Days: goal.ByWorkingDays, Calendar: pp.cal}
}

func (pp *PlanPace) curve(i int32) []Weight {
	if pp.done[i] {
		return pp.memo[i]
	}
	kids := pp.p.ChildIndexes(int(i))
	g := pp.p.Goals[i]
	var out []Weight
	for _, k := range kids {
		if kg := pp.p.Goals[k]; kg.Unit == g.Unit {
			// A sub-period: its own finer curve, or itself.
			if fine := pp.curve(k); len(fine) > 0 {
				out = append(out, fine...)
			} else {
				out = append(out, Weight{Period: kg.Period, Weight: kg.Target})
			}
		}
	}
	if len(out) == 0 && len(kids) > 0 {
		// Split over units only: the sum of the children's curves.
		at := map[goal.Period]int{}
		for _, k := range kids {
			for _, w := range pp.curve(k) {
				j, ok := at[w.Period]
				if !ok {
					j = len(out)
					at[w.Period] = j
					out = append(out, Weight{Period: w.Period})
				}
				out[j].Weight = out[j].Weight.Add(w.Weight)
			}
		}
	}
	if !positive(out) {
		out = nil
	}
	sortCurve(out)
	pp.memo[i], pp.done[i] = out, true
	return out
}

// positive reports whether a curve's weights sum to more than zero.
func positive(c []Weight) bool {
	var sum decfast.Sum
	for _, w := range c {
		sum.Add(w.Weight)
	}
	return sum.Decimal().IsPositive()
}
