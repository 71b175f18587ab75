package goal

import (
	"fmt"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ReplanMode says what re-planning does with the gap left by closed periods.
type ReplanMode uint8

const (
	// CatchUp is the zero value: the open periods take over whatever the
	// parent still needs (target − actual of the closed periods).
	CatchUp ReplanMode = iota
	// Absorb keeps every target and only reports the shortfall.
	Absorb
)

// String returns "catch up" or "absorb".
func (m ReplanMode) String() string {
	if m == Absorb {
		return "absorb"
	}
	return "catch up"
}

// ReplanSpec says how to re-plan.
type ReplanSpec struct {
	// AsOf is the first day whose actuals are not known yet: a child period
	// is closed when it ends on or before AsOf (End <= AsOf), open otherwise.
	AsOf date.Date
	Mode ReplanMode
	// Actuals are the actuals of closed goals by goal ID; a closed goal with
	// no entry counts as zero. Entries for other goals are ignored. Values
	// must not have more decimal places than the plan's metric.
	Actuals map[string]decimal.Decimal
	// Calendar counts working days for the fallback weights; nil means
	// NewCalendar(nil).
	Calendar *Calendar
}

// ReplanReport is what re-planning found for one parent whose children are
// periods.
type ReplanReport struct {
	Goal         string          // the parent goal's ID
	Target       decimal.Decimal // the parent's target (after re-planning above it)
	ClosedTarget decimal.Decimal // the sum of the closed children's targets
	ClosedActual decimal.Decimal // the sum of their actuals
	// Shortfall is ClosedTarget − ClosedActual: positive when the closed
	// periods fell behind, negative when they beat their targets.
	Shortfall     decimal.Decimal
	OpenTarget    decimal.Decimal // the open children's targets before
	NewOpenTarget decimal.Decimal // and after re-planning
	// Uncovered is Target − ClosedActual − NewOpenTarget: what the parent
	// still misses if every open period meets its new target. Zero after a
	// catch-up; the shortfall under Absorb; negative when the closed
	// actuals (or locked open targets) already exceed what the parent needs.
	Uncovered decimal.Decimal
}

// Replan re-plans p as of spec.AsOf and returns the new plan (p itself is not
// changed) and one report per parent that has closed children or whose
// target re-planning changed, in plan order.
//
// It looks at every goal whose children are periods of its own unit (a
// leaf's year over months, a month over days), parents before children.
// Closed children (End <= AsOf) keep their targets: re-planning never
// rewrites the past. With CatchUp, the open children share the gap — the
// parent's target less the closed children's actuals — in proportion to
// their current targets (by working days from AsOf when those are all zero),
// exactly, by Allocate; locked open children keep their targets and the rest
// is spread over the others. Because parents come first, a month whose
// target changed passes the change on to its open days.
//
// When the gap is smaller than the locked open targets — the closed periods
// over-achieved — the unlocked open children get zero, not a negative
// target, and the report's Uncovered is negative. (For a negative parent
// target everything mirrors: open children get at most zero.)
//
// After a catch-up a parent no longer equals the sum of its children's
// targets but the closed actuals plus the open targets, so Plan.Check reports
// every re-planned parent whose closed children missed or beat their
// targets. Stretch and floor levels are left as they were. Goals whose
// children are other units are left alone.
func Replan(p *Plan, spec ReplanSpec) (*Plan, []ReplanReport, error) {
	if p == nil {
		return nil, nil, invalid("plan", "", "it is nil")
	}
	if spec.Mode > Absorb {
		return nil, nil, invalid("replan mode", spec.Mode.String(), "use goal.CatchUp or goal.Absorb")
	}
	cal := spec.Calendar
	if cal == nil {
		cal, _ = NewCalendar(nil)
	}
	for id, v := range spec.Actuals {
		if err := p.Metric.CheckValue(v); err != nil {
			return nil, nil, fmt.Errorf("goal: replan: actual of %q: %w", id, err)
		}
	}
	np := &Plan{ID: p.ID, Metric: p.Metric, Version: p.Version, Goals: append([]Goal(nil), p.Goals...)}
	if err := np.reindex(); err != nil {
		return nil, nil, fmt.Errorf("goal: replan: %w", err)
	}
	var reports []ReplanReport
	for i := range np.Goals {
		kids := np.childIndexes(i)
		if len(kids) == 0 {
			continue
		}
		parent := np.Goals[i]
		same := 0
		for _, k := range kids {
			if np.Goals[k].Unit == parent.Unit {
				same++
			}
		}
		if same == 0 {
			continue
		}
		if same != len(kids) {
			return nil, nil, invalid("plan", parent.ID, "the goal has children of its own unit and of other units; Replan needs each parent's children to be either periods of its unit or other units")
		}
		r, changed, err := replanParent(np, i, kids, spec, cal)
		if err != nil {
			return nil, nil, err
		}
		if changed || !parent.Target.Equal(p.Goals[i].Target) {
			reports = append(reports, r)
		}
	}
	return np, reports, nil
}

// replanParent re-plans the children kids of goal i in np. changed reports
// whether any child is closed.
func replanParent(np *Plan, i int, kids []int32, spec ReplanSpec, cal *Calendar) (ReplanReport, bool, error) {
	parent := np.Goals[i]
	r := ReplanReport{Goal: parent.ID, Target: parent.Target, ClosedTarget: decimal.Zero, ClosedActual: decimal.Zero, OpenTarget: decimal.Zero}
	var open []int32
	locked := decimal.Zero
	for _, k := range kids {
		g := np.Goals[k]
		if g.Period.End <= spec.AsOf {
			r.ClosedTarget = r.ClosedTarget.Add(g.Target)
			if a, ok := spec.Actuals[g.ID]; ok {
				r.ClosedActual = r.ClosedActual.Add(a)
			}
			continue
		}
		open = append(open, k)
		r.OpenTarget = r.OpenTarget.Add(g.Target)
		if g.Locked {
			locked = locked.Add(g.Target)
		}
	}
	r.Shortfall = r.ClosedTarget.Sub(r.ClosedActual)
	closed := len(open) < len(kids)
	gap := parent.Target.Sub(r.ClosedActual)
	r.NewOpenTarget = r.OpenTarget
	if spec.Mode == CatchUp && len(open) > 0 {
		free := gap.Sub(locked)
		if free.Sign()*signOf(parent.Target) < 0 {
			free = decimal.Zero // over-achieved: never a target of the opposite sign
		}
		total := locked.Add(free)
		shares := make([]Share, len(open))
		zero := true
		for j, k := range open {
			g := np.Goals[k]
			if g.Locked {
				shares[j].Lock = decimal.NewNullDecimal(g.Target)
				continue
			}
			shares[j].Weight = g.Target.Abs()
			zero = zero && g.Target.IsZero()
		}
		if zero {
			fallbackOpenWeights(np, open, shares, spec.AsOf, cal)
		}
		got, err := Allocate(Allocation{Total: total, Places: np.Metric.Places, Shares: shares, EvenIfZeroWeights: true})
		if err != nil {
			return r, false, fmt.Errorf("goal: replan: spreading %s over the open periods of %s: %w", total, parent.ID, err)
		}
		for j, k := range open {
			np.Goals[k].Target = got[j]
		}
		r.NewOpenTarget = total
	}
	r.Uncovered = gap.Sub(r.NewOpenTarget)
	return r, closed, nil
}

// fallbackOpenWeights weighs unlocked open periods by their working days
// from asOf on, or their calendar days when none has a working day.
func fallbackOpenWeights(np *Plan, open []int32, shares []Share, asOf date.Date, cal *Calendar) {
	some := false
	for j, k := range open {
		if shares[j].Lock.Valid {
			continue
		}
		q := np.Goals[k].Period
		wd := cal.WorkingDays(max(q.Start, asOf), q.End)
		shares[j].Weight = decimal.NewFromInt(int64(wd))
		some = some || wd > 0
	}
	if some {
		return
	}
	for j, k := range open {
		if !shares[j].Lock.Valid {
			q := np.Goals[k].Period
			shares[j].Weight = decimal.NewFromInt(int64(q.End - max(q.Start, asOf)))
		}
	}
}

func signOf(d decimal.Decimal) int {
	if d.Sign() < 0 {
		return -1
	}
	return 1
}
