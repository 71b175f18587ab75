package funnel

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// TargetsFromPlan returns the leaf goals of a revenue plan (goals nothing
// was decomposed from) as reverse-funnel targets, in plan order. The plan's
// metric must be an amount; its currency is carried on every target.
func TargetsFromPlan(p *goal.Plan) ([]Target, error) {
	if p == nil {
		return nil, invalid("plan", "", "the plan is nil")
	}
	if p.Metric.Kind != goal.Amount {
		return nil, invalid("plan", p.ID, "its metric %q is a %s; the reverse funnel starts from an amount such as revenue", p.Metric.Key, p.Metric.Kind)
	}
	var out []Target
	for _, g := range p.Goals {
		if len(p.Children(g.ID)) > 0 {
			continue
		}
		out = append(out, Target{Unit: g.Unit, Period: g.Period, Revenue: g.Target, Currency: p.Metric.Currency})
	}
	return out, nil
}

// Metrics returns the count metrics of the plan's targets, in target order:
// one per planned stage, the won deals, and one per distinct activity
// metric. Names are the stage names (or keys) and activity metric keys.
func (p *ProcessPlan) Metrics() []goal.Metric {
	var out []goal.Metric
	seen := map[string]bool{}
	for _, t := range p.Targets {
		if seen[t.Metric] {
			continue
		}
		seen[t.Metric] = true
		name := t.Metric
		if i, ok := p.Model.Funnel.StageIndex(t.Stage); ok && t.Metric == p.Model.Funnel.StageMetric(i) {
			name = p.Model.Funnel.Stages[i].Name
			if name == "" {
				name = t.Stage
			}
		} else if t.Stage == p.Model.Funnel.Won && t.Metric == p.Model.Funnel.WonMetric() {
			name = t.Stage
		}
		out = append(out, goal.Metric{Key: t.Metric, Name: name, Kind: goal.Count})
	}
	return out
}

// Goals returns every process target as a goal.Goal with ID
// goal.GoalID(metric, unit, period) and no parent, in target order.
func (p *ProcessPlan) Goals() []goal.Goal {
	out := make([]goal.Goal, len(p.Targets))
	for i, t := range p.Targets {
		out[i] = goal.Goal{ID: goal.GoalID(t.Metric, t.Unit, t.Period), Metric: t.Metric, Unit: t.Unit, Period: t.Period, Target: decimal.NewFromInt(t.Count)}
	}
	return out
}

// Plan returns the process targets of one metric as an exact goal.Plan: a
// root goal for rootUnit over the range spanning all the metric's periods,
// one child per target unit over the same range (skipped when the only unit
// is rootUnit), and under each the unit's per-period targets. Every parent
// is the exact sum of its children, so Check reports nothing. rootUnit is
// usually the org unit above the target units (a team, the company); it must
// not be one of several target units. A metric with no targets fails with
// ErrNotFound.
//
// The IDs depend only on the metric, the units and the periods, so a new
// reverse-funnel run gives the same IDs and a host updates the stored plan
// (at its stored version) instead of adding a second one:
//   - the plan's ID is "funnel:" + metric + "/" + rootUnit, e.g.
//     "funnel:visits/acme" or "funnel:crm.lead/north" (a stage's metric is
//     Funnel.StageMetric);
//   - every goal's ID is goal.GoalID(metric, unit, period): the root and the
//     per-unit goals span the range of all the metric's periods,
//     "visits/acme/[2026-07-06,2026-10-05)", and the per-period targets carry
//     their period's label, "visits/wang/2026-W29".
func (p *ProcessPlan) Plan(metric, rootUnit string) (*goal.Plan, error) {
	var m goal.Metric
	for _, x := range p.Metrics() {
		if x.Key == metric {
			m = x
		}
	}
	if m.Key == "" {
		return nil, fmt.Errorf("funnel: the process plan has no targets of metric %q: %w", metric, ErrNotFound)
	}
	if rootUnit == "" {
		return nil, invalid("root unit", "", "name the unit the plan's root goal belongs to, e.g. the team or company")
	}
	var units []string
	byUnit := map[string][]ProcessTarget{}
	var total int64
	span := goal.Period{}
	for _, t := range p.Targets {
		if t.Metric != metric {
			continue
		}
		if _, ok := byUnit[t.Unit]; !ok {
			units = append(units, t.Unit)
		}
		byUnit[t.Unit] = append(byUnit[t.Unit], t)
		total += t.Count
		if span.IsZero() {
			span = t.Period
		}
		span.Start, span.End = min(span.Start, t.Period.Start), max(span.End, t.Period.End)
	}
	span, err := goal.NewRange(span.Start, span.End)
	if err != nil {
		return nil, fmt.Errorf("funnel: plan of %q: %w", metric, err)
	}
	rootID := goal.GoalID(metric, rootUnit, span)
	goals := []goal.Goal{{ID: rootID, Metric: metric, Unit: rootUnit, Period: span, Target: decimal.NewFromInt(total)}}
	for _, u := range units {
		parent := rootID
		if len(units) > 1 || u != rootUnit {
			var sum int64
			for _, t := range byUnit[u] {
				sum += t.Count
			}
			parent = goal.GoalID(metric, u, span)
			goals = append(goals, goal.Goal{ID: parent, Parent: rootID, Metric: metric, Unit: u, Period: span, Target: decimal.NewFromInt(sum)})
		}
		for _, t := range byUnit[u] {
			goals = append(goals, goal.Goal{ID: goal.GoalID(metric, u, t.Period), Parent: parent, Metric: metric, Unit: u, Period: t.Period, Target: decimal.NewFromInt(t.Count)})
		}
	}
	plan, err := goal.NewPlan("funnel:"+metric+"/"+rootUnit, m, goals)
	if err != nil {
		return nil, fmt.Errorf("funnel: plan of %q: %w", metric, err)
	}
	return plan, nil
}
