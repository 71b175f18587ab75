package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// Rules are the alert rules Engine.Evaluate runs. Rules left empty do not
// run. Every goal of every stored plan is a candidate, so process targets
// from the reverse funnel (funnel.ProcessPlan.Plan, stored with SavePlan) are
// paced like revenue: activities that fall behind what the funnel needs
// raise a pace alert on their own plan.
type Rules struct {
	// Pace holds the pace rule per metric key (see alert.PaceRule: the
	// actual against the plan's own curve, judged by the metric's variance,
	// so set Dispersion per metric: 1 for counts, alert.PaceDispersion of
	// past deal sizes for amounts). Goals of a metric without an entry get no
	// pace check.
	Pace map[string]alert.PaceRule
	// ProjectedMiss, when set, flags goals projected to miss their target
	// by more than its tolerance.
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

func (r Rules) validate() error {
	for key, p := range r.Pace {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("pace rule of metric %q: %w", key, err)
		}
	}
	if r.ProjectedMiss != nil {
		if err := r.ProjectedMiss.Validate(); err != nil {
			return err
		}
	}
	for _, w := range r.Conversion {
		if err := w.Validate(); err != nil {
			return err
		}
	}
	for i, w := range r.Stagnation {
		if err := w.Model.Validate(); err != nil {
			return fmt.Errorf("stagnation watch %d: %w", i, err)
		}
		if err := w.Rule.Validate(); err != nil {
			return fmt.Errorf("stagnation watch %d: %w", i, err)
		}
	}
	return nil
}

// LabelPlan is the extra label naming the plan of a goal rule's alert, so
// that two plans with a goal for the same unit, metric and period (a yearly
// plan and a quarterly one) raise distinct alerts.
const LabelPlan = "plan"

// goalSamples appends the samples of the goal rules for the statuses of
// plan planID's goals.
func (r Rules) goalSamples(out []alert.Sample, planID string, statuses []kpi.Status) ([]alert.Sample, error) {
	extra := alert.Labels{LabelPlan: planID}
	for _, s := range statuses {
		if pace, ok := r.Pace[s.Metric]; ok {
			smp, err := pace.Check(s)
			if err != nil {
				return nil, fmt.Errorf("pace of goal %q: %w", s.Goal, err)
			}
			smp.Extra = extra
			out = append(out, smp)
		}
		if r.ProjectedMiss != nil {
			smp, err := r.ProjectedMiss.Check(s)
			if err != nil {
				return nil, fmt.Errorf("projected miss of goal %q: %w", s.Goal, err)
			}
			smp.Extra = extra
			out = append(out, smp)
		}
	}
	return out, nil
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
