package goalkit

import (
	"context"
	"fmt"

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
	actuals, err := e.actuals(ctx, tx, goals, asOf+1)
	if err != nil {
		return nil, err
	}
	curves := curves(p)
	out := make([]kpi.Status, len(goals))
	for i, g := range goals {
		pace := kpi.Pace{Basis: kpi.WorkingDays, Calendar: e.cal}
		if c := curves[g.ID]; len(c) > 0 {
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
// curves returns the plan's own seasonal curve for each goal that has one:
// for a goal split over time, the targets of its sub-periods; for a goal
// split over units, the sum of its children's curves, period by period. A
// goal without either has none and is paced by working days.
func curves(p *goal.Plan) map[string][]kpi.Weight {
	out := make(map[string][]kpi.Weight)
	for i := len(p.Goals) - 1; i >= 0; i-- {
		g := p.Goals[i]
		kids := p.Children(g.ID)
		if len(kids) == 0 {
			continue
		}
		if kids[0].Unit == g.Unit {
			out[g.ID] = kpi.CurveFromGoals(kids)
			continue
		}
		var sum []kpi.Weight
		at := map[goal.Period]int{}
		for _, k := range kids {
			for _, w := range out[k.ID] {
				j, ok := at[w.Period]
				if !ok {
					j = len(sum)
					at[w.Period] = j
					sum = append(sum, kpi.Weight{Period: w.Period})
				}
				sum[j].Weight = sum[j].Weight.Add(w.Weight)
			}
		}
		out[g.ID] = sum
	}
	return out
}
