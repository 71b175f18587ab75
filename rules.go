package goalkit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// Rules are the alert rules Engine.Evaluate runs. Rules left empty do not
// run, so the zero value raises no alerts. Every goal of every stored plan
// is a candidate, and each goal rule applies to the goals of its selection
// (Goals; Pace and ProjectedMiss are shorthands for a selection by metric
// and for every goal). When several selections of one rule match a goal,
// the most specific wins (see alert.Selection): units, then levels, plans,
// grains, metrics. So process targets
// from the reverse funnel (funnel.ProcessPlan.Plan, stored with SavePlan) are
// paced like revenue: activities that fall behind what the funnel needs
// raise a pace alert on their own plan.
type Rules struct {
	// Goals are goal rules with their own parameters per selection of
	// goals: pace on monthly revenue, a projected miss only on quarters,
	// pace with count dispersion on weekly visits. Two selections of the
	// same rule that name the same dimensions and can match one goal are
	// ErrInvalid from New (neither would be more specific).
	Goals []GoalRule
	// Pace holds the pace rule per metric key, the same as a GoalRule
	// selecting that metric (see alert.PaceRule: the
	// actual against the plan's own curve, judged by the metric's variance,
	// so set Dispersion per metric: 1 for counts, alert.PaceDispersion of
	// past deal sizes for amounts). Goals of a metric without an entry get no
	// pace check.
	Pace map[string]alert.PaceRule
	// ProjectedMiss, when set, flags goals projected to miss their target
	// by more than its tolerance: the same as a GoalRule with the zero
	// Selection, so any selection in Goals is more specific.
	ProjectedMiss *alert.ProjectedMissRule
	// Stagnation lists funnels whose open deals are checked for deals
	// stuck in a stage (see alert.StagnationRule).
	Stagnation []StagnationWatch
	// Conversion lists funnels whose stage conversion is watched per unit
	// with calibrated detectors (see alert.ConversionWatch).
	Conversion []alert.ConversionWatch
}

// StagnationWatch is one funnel's stagnation check: the funnel's model (its
// typical stage durations, measured with funnel.Measure or set by hand) and
// the rule.
type StagnationWatch struct {
	Model funnel.Model
	Rule  alert.StagnationRule
}

// GoalRule sets goal rules for the goals its selection matches. A rule left
// nil is not set by this entry: a goal gets the rule of the most specific
// entry that sets it.
type GoalRule struct {
	Select        alert.Selection
	Pace          *alert.PaceRule
	ProjectedMiss *alert.ProjectedMissRule
}

// selected is a rule with the selection it applies to.
type selected[R any] struct {
	sel  alert.Selection
	rule R
}

// goalRules are the goal rules of Rules, each list ordered by specificity,
// the most specific first, so the first match is the rule of a goal.
type goalRules struct {
	pace      []selected[alert.PaceRule]
	projected []selected[alert.ProjectedMissRule]
	levels    bool // a selection names unit levels
}

// goalRules validates r's goal rules and orders them by precedence.
func (r Rules) goalRules() (goalRules, error) {
	var g goalRules
	keys := make([]string, 0, len(r.Pace))
	for key := range r.Pace {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		p := r.Pace[key]
		if err := p.Validate(); err != nil {
			return g, fmt.Errorf("pace rule of metric %q: %w", key, err)
		}
		g.pace = append(g.pace, selected[alert.PaceRule]{alert.Selection{Metrics: []string{key}}, p})
	}
	if r.ProjectedMiss != nil {
		if err := r.ProjectedMiss.Validate(); err != nil {
			return g, err
		}
		g.projected = append(g.projected, selected[alert.ProjectedMissRule]{alert.Selection{}, *r.ProjectedMiss})
	}
	for i, gr := range r.Goals {
		if err := gr.Select.Validate(); err != nil {
			return g, fmt.Errorf("goal rule %d: %w", i, err)
		}
		if gr.Pace == nil && gr.ProjectedMiss == nil {
			return g, fmt.Errorf("goal rule %d: %w", i, &alert.ValidationError{Field: "Pace",
				Reason: "the entry sets no rule; set Pace or ProjectedMiss, or remove it"})
		}
		if gr.Pace != nil {
			if err := gr.Pace.Validate(); err != nil {
				return g, fmt.Errorf("goal rule %d: pace: %w", i, err)
			}
			g.pace = append(g.pace, selected[alert.PaceRule]{gr.Select, *gr.Pace})
		}
		if gr.ProjectedMiss != nil {
			if err := gr.ProjectedMiss.Validate(); err != nil {
				return g, fmt.Errorf("goal rule %d: projected miss: %w", i, err)
			}
			g.projected = append(g.projected, selected[alert.ProjectedMissRule]{gr.Select, *gr.ProjectedMiss})
		}
		g.levels = g.levels || gr.Select.UsesLevels()
	}
	if err := alert.Overlap(alert.RulePace, selections(g.pace)); err != nil {
		return g, err
	}
	if err := alert.Overlap(alert.RuleProjectedMiss, selections(g.projected)); err != nil {
		return g, err
	}
	byRank(g.pace)
	byRank(g.projected)
	return g, nil
}

func selections[R any](list []selected[R]) []alert.Selection {
	out := make([]alert.Selection, len(list))
	for i, s := range list {
		out[i] = s.sel
	}
	return out
}

// byRank orders list by specificity, the most specific first.
func byRank[R any](list []selected[R]) {
	slices.SortStableFunc(list, func(a, b selected[R]) int { return cmp.Compare(b.sel.Rank(), a.sel.Rank()) })
}

// pick returns the rule of the most specific selection in list that
// matches x, nil when none does.
func pick[R any](list []selected[R], x alert.Subject) *R {
	for i := range list {
		if list[i].sel.Matches(x) {
			return &list[i].rule
		}
	}
	return nil
}

// validate checks r and returns its goal rules in order of precedence.
func (r Rules) validate() (goalRules, error) {
	g, err := r.goalRules()
	if err != nil {
		return g, err
	}
	for _, w := range r.Conversion {
		if err := w.Validate(); err != nil {
			return g, err
		}
	}
	for i, w := range r.Stagnation {
		if err := w.Model.Validate(); err != nil {
			return g, fmt.Errorf("stagnation watch %d: %w", i, err)
		}
		if err := w.Rule.Validate(); err != nil {
			return g, fmt.Errorf("stagnation watch %d: %w", i, err)
		}
	}
	return g, nil
}

// LabelPlan is the extra label naming the plan of a goal rule's alert, so
// that two plans with a goal for the same unit, metric and period (a yearly
// plan and a quarterly one) raise distinct alerts.
const LabelPlan = "plan"

// goalSamples appends the samples of the goal rules for the statuses of
// plan planID's goals, judged without their messages, and appends to later
// how to word each (see unworded); org gives the level of each goal's unit.
func (r goalRules) goalSamples(out []alert.Sample, later []unworded, planID string, statuses []kpi.Status, org *goal.Org) ([]alert.Sample, []unworded, error) {
	extra := alert.Labels{LabelPlan: planID}
	for i := range statuses {
		s := &statuses[i]
		x := alert.Subject{Metric: s.Metric, Grain: s.Period.Grain, Plan: planID, Unit: s.Unit}
		if r.levels && org != nil {
			if i, ok := org.Index(s.Unit); ok {
				x.Level = org.At(i).Kind
			}
		}
		if pace := pick(r.pace, x); pace != nil {
			smp, err := pace.Judge(*s)
			if err != nil {
				return nil, nil, fmt.Errorf("pace of goal %q: %w", s.Goal, err)
			}
			smp.Extra = extra
			later = append(later, unworded{at: len(out), status: s, pace: pace})
			out = append(out, smp)
		}
		if pm := pick(r.projected, x); pm != nil {
			smp, err := pm.Judge(*s)
			if err != nil {
				return nil, nil, fmt.Errorf("projected miss of goal %q: %w", s.Goal, err)
			}
			smp.Extra = extra
			later = append(later, unworded{at: len(out), status: s, miss: pm})
			out = append(out, smp)
		}
	}
	return out, later, nil
}

// dealSamples appends the samples of the stagnation watches, reading the
// open deals of each watched funnel.
func (r Rules) dealSamples(ctx context.Context, tx storage.Deals, out []alert.Sample, asOf date.Date) ([]alert.Sample, error) {
	for _, w := range r.Stagnation {
		f := w.Model.Funnel
		deals, err := tx.ListDeals(ctx, storage.DealFilter{Funnel: f.Key, ExcludeStages: outcomes(f)})
		if err != nil {
			return nil, err
		}
		smp, err := w.Rule.Check(w.Model, deals, asOf)
		if err != nil {
			return nil, fmt.Errorf("stagnation of funnel %q: %w", f.Key, err)
		}
		out = append(out, smp...)
	}
	return out, nil
}

// outcomes returns the keys of f's outcome stages.
func outcomes(f funnel.Funnel) []string {
	var out []string
	for _, k := range []string{f.Won, f.Lost, f.Invalid} {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}
