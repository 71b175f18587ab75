package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
)

// CellStatus returns where unit stands in period of a stored plan as of
// asOf, for any (unit, period) the plan covers, even where it stores no goal
// for that cell (a region's month, a rep's week). When the plan has a goal
// of the unit for exactly that period it is Status of that goal. Otherwise
// the target is goal.Plan.TargetOf — the stored goals summed, a goal the
// period cuts through spread over its calendar days on the days its unit is
// active in the engine's org — the actual is the unit's and its sub-units'
// as for any goal, and the pace is by working days; the status's Goal is
// goal.GoalID(metric, unit, period).
//
// Errors: an unknown plan matches storage.ErrNotFound; a unit or period the
// plan does not cover matches goal.ErrNotFound; an empty period matches
// goal.ErrInvalid.
func (e *Engine) CellStatus(ctx context.Context, planID, unit string, period goal.Period, asOf date.Date) (kpi.Status, error) {
	wrap := func(err error) error {
		return fmt.Errorf("goalkit: status of %q in %s of plan %q: %w", goal.Excerpt(unit), period, goal.Excerpt(planID), err)
	}
	p, err := e.readPlan(ctx, planID)
	if err != nil {
		return kpi.Status{}, wrap(err)
	}
	g := goal.Goal{ID: goal.GoalID(p.Metric.Key, unit, period), Metric: p.Metric.Key, Unit: unit, Period: period}
	stored, at := false, -1
	if i, ok := p.Index(g.ID); ok {
		s := p.Goals[i]
		if s.Unit == unit && s.Period == period {
			g, stored, at = s, true, i
		} else {
			g.ID += " (cell)" // a hand-made ID names another goal: keep its curve out
		}
	}
	if !stored {
		if g.Target, err = p.TargetOf(unit, period, goal.DaySplit{Calendar: e.cal, Org: e.Org()}); err != nil {
			return kpi.Status{}, wrap(err)
		}
	}
	out, err := e.statuses(ctx, e.store, p, []goal.Goal{g}, []int{at}, asOf)
	if err != nil {
		return kpi.Status{}, wrap(err)
	}
	return out[0], nil
}
