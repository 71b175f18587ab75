package goalkit

import (
	"context"
	"fmt"
	"runtime/trace"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Status returns where one goal of a stored plan stands as of asOf: the
// actual of its unit and sub-units from the period's start through asOf,
// attainment, time progress on the plan's own curve, gap, run-rate and
// projections (see kpi.Status).
func (e *Engine) Status(ctx context.Context, planID, goalID string, asOf date.Date) (kpi.Status, error) {
	p, err := e.store.GetPlan(ctx, planID)
	if err != nil {
		return kpi.Status{}, fmt.Errorf("goalkit: status of %q: %w", goalID, err)
	}
	g, err := p.Goal(goalID)
	if err != nil {
		return kpi.Status{}, fmt.Errorf("goalkit: status of %q: %w", goalID, err)
	}
	out, err := e.statuses(ctx, e.store, p, []goal.Goal{g}, asOf)
	if err != nil {
		return kpi.Status{}, fmt.Errorf("goalkit: status of %q: %w", goalID, err)
	}
	return out[0], nil
}

// Statuses returns the status of every goal of the stored plan whose period
// has started by asOf, in plan order.
func (e *Engine) Statuses(ctx context.Context, planID string, asOf date.Date) ([]kpi.Status, error) {
	ctx, task := trace.NewTask(ctx, "goalkit.Statuses")
	defer task.End()
	p, err := e.store.GetPlan(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: statuses of plan %q: %w", planID, err)
	}
	var started []goal.Goal
	for _, g := range p.Goals {
		if g.Period.Start <= asOf {
			started = append(started, g)
		}
	}
	out, err := e.statuses(ctx, e.store, p, started, asOf)
	if err != nil {
		return nil, fmt.Errorf("goalkit: statuses of plan %q: %w", planID, err)
	}
	return out, nil
}

// statuses computes the status of goals of plan p as of asOf, reading all
// actuals in one batched query.
func (e *Engine) statuses(ctx context.Context, tx storage.Totals, p *goal.Plan, goals []goal.Goal, asOf date.Date) ([]kpi.Status, error) {
	r := trace.StartRegion(ctx, regionActuals)
	actuals, err := e.actuals(ctx, tx, goals, asOf+1)
	r.End()
	if err != nil {
		return nil, err
	}
	defer trace.StartRegion(ctx, regionStatuses).End()
	curves := newPlanCurves(p)
	out := make([]kpi.Status, len(goals))
	for i, g := range goals {
		pace := kpi.Pace{Basis: kpi.WorkingDays, Calendar: e.cal}
		if c := curves.of(g.ID); len(c) > 0 {
			pace = kpi.Pace{Basis: kpi.Seasonal, Calendar: e.cal, Curve: c}
		} else if e.cal.WorkingDays(g.Period.Start, g.Period.End) == 0 {
			pace = kpi.Pace{Basis: kpi.CalendarDays}
		}
		if out[i], err = kpi.Track(g, p.Metric, actuals[i], asOf, pace); err != nil {
			return nil, fmt.Errorf("goal %q: %w", g.ID, err)
		}
	}
	return out, nil
}

// actuals returns, for each goal, the total of its metric for its unit and
// sub-units over [Period.Start, min(Period.End, until)), in one batch.
func (e *Engine) actuals(ctx context.Context, tx storage.Totals, goals []goal.Goal, until date.Date) ([]decimal.Decimal, error) {
	qs := make([]storage.Query, len(goals))
	for i, g := range goals {
		end := min(g.Period.End, max(until, g.Period.Start))
		qs[i] = storage.Query{Metric: g.Metric, Unit: g.Unit, Subtree: true, Start: g.Period.Start, End: end}
	}
	totals, err := tx.SumMany(ctx, qs)
	if err != nil {
		return nil, fmt.Errorf("read actuals: %w", err)
	}
	out := make([]decimal.Decimal, len(totals))
	for i, t := range totals {
		out[i] = t.Value
	}
	return out, nil
}

// A goal with a curve is paced along it; one without (a leaf) by working
// days, or by calendar days when its period has no working day.
//
// planCurves gives the plan's own seasonal curve of each goal that has one,
// at the finest grain the plan has: for a goal split over time, its
// sub-periods, each replaced by its own curve when it is split further (a
// year over quarters over months is paced by the months); for a goal split
// over units only, the sum of its children's curves, period by period. A goal
// without either has none and is paced by working days, and so is one whose
// sub-targets are all zero. Curves are computed on demand and kept, so asking
// for a few goals of a large plan costs the subtrees asked about, not every
// goal's curve.
type planCurves struct {
	p    *goal.Plan
	memo [][]kpi.Weight
	done []bool
}

func newPlanCurves(p *goal.Plan) *planCurves {
	return &planCurves{p: p, memo: make([][]kpi.Weight, len(p.Goals)), done: make([]bool, len(p.Goals))}
}

// positive reports whether a curve's weights sum to more than zero.
func positive(c []kpi.Weight) bool {
	sum := decimal.Zero
	for _, w := range c {
		sum = sum.Add(w.Weight)
	}
	return sum.IsPositive()
}

// of returns the curve of the goal with the given ID; nil when it has none.
func (c *planCurves) of(id string) []kpi.Weight {
	i, ok := c.p.Index(id)
	if !ok {
		return nil
	}
	return c.at(int32(i))
}

func (c *planCurves) at(i int32) []kpi.Weight {
	if c.done[i] {
		return c.memo[i]
	}
	kids := c.p.ChildIndexes(int(i))
	g := c.p.Goals[i]
	var out []kpi.Weight
	for _, k := range kids {
		if kg := c.p.Goals[k]; kg.Unit == g.Unit {
			// A sub-period: its own finer curve, or itself.
			if fine := c.at(k); len(fine) > 0 {
				out = append(out, fine...)
			} else {
				out = append(out, kpi.Weight{Period: kg.Period, Weight: kg.Target})
			}
		}
	}
	if len(out) == 0 && len(kids) > 0 {
		// Split over units only: the sum of the children's curves.
		at := map[goal.Period]int{}
		for _, k := range kids {
			for _, w := range c.at(k) {
				j, ok := at[w.Period]
				if !ok {
					j = len(out)
					at[w.Period] = j
					out = append(out, kpi.Weight{Period: w.Period})
				}
				out[j].Weight = out[j].Weight.Add(w.Weight)
			}
		}
	}
	if !positive(out) {
		out = nil // all-zero sub-targets say nothing about seasonality
	}
	c.memo[i], c.done[i] = out, true
	return out
}
