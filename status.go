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
	out, err := e.StatusesOf(ctx, planID, []string{goalID}, asOf)
	if err != nil {
		return kpi.Status{}, err
	}
	return out[0], nil
}

// StatusesOf returns the status of each goal of the stored plan named in
// goalIDs, in that order, as Status would, reading their actuals in one
// batch: the goals of a dashboard, or those one new fact touched. An
// unknown goal ID matches goal.ErrNotFound and nothing is returned.
func (e *Engine) StatusesOf(ctx context.Context, planID string, goalIDs []string, asOf date.Date) ([]kpi.Status, error) {
	wrap := func(err error) error {
		if len(goalIDs) == 1 {
			return fmt.Errorf("goalkit: status of %q: %w", goal.Excerpt(goalIDs[0]), err)
		}
		return fmt.Errorf("goalkit: statuses of %d goals of plan %q: %w", len(goalIDs), goal.Excerpt(planID), err)
	}
	p, err := e.readPlan(ctx, planID)
	if err != nil {
		return nil, wrap(err)
	}
	goals := make([]goal.Goal, len(goalIDs))
	at := make([]int, len(goalIDs))
	for k, id := range goalIDs {
		if goals[k], err = p.Goal(id); err != nil {
			return nil, wrap(err)
		}
		at[k], _ = p.Index(id)
	}
	out, err := e.statuses(ctx, e.store, p, goals, at, asOf)
	if err != nil {
		return nil, wrap(err)
	}
	return out, nil
}

// Statuses returns the status of every goal of the stored plan whose period
// has started by asOf, in plan order.
func (e *Engine) Statuses(ctx context.Context, planID string, asOf date.Date) ([]kpi.Status, error) {
	ctx, task := trace.NewTask(ctx, "goalkit.Statuses")
	defer task.End()
	p, err := e.readPlan(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: statuses of plan %q: %w", planID, err)
	}
	var (
		started []goal.Goal
		at      []int
	)
	for i, g := range p.Goals {
		if g.Period.Start <= asOf {
			started, at = append(started, g), append(at, i)
		}
	}
	out, err := e.statuses(ctx, e.store, p, started, at, asOf)
	if err != nil {
		return nil, fmt.Errorf("goalkit: statuses of plan %q: %w", planID, err)
	}
	return out, nil
}

// statuses computes the status of goals of plan p as of asOf, reading all
// actuals in one batched query; each goal is paced as the plan sets it
// (kpi.PlanPace). at[i] is the position of goals[i] in p.Goals, or -1 for a
// goal the plan may not hold (looked up by ID).
func (e *Engine) statuses(ctx context.Context, tx storage.Totals, p *goal.Plan, goals []goal.Goal, at []int, asOf date.Date) ([]kpi.Status, error) {
	r := trace.StartRegion(ctx, regionActuals)
	actuals, err := e.actuals(ctx, tx, goals, asOf+1)
	r.End()
	if err != nil {
		return nil, err
	}
	defer trace.StartRegion(ctx, regionStatuses).End()
	paces := kpi.NewPlanPace(p, e.cal)
	out := make([]kpi.Status, len(goals))
	for i, g := range goals {
		var pace kpi.Pace
		if at[i] >= 0 {
			pace = paces.At(at[i])
		} else {
			pace = paces.Of(g)
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
