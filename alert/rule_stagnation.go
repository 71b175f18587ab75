package alert

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/funnel"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// DefaultStallMultiple is the multiple of a stage's typical duration past which a StagnationRule
// counts a deal as stalled when Multiple is zero.
const DefaultStallMultiple = 2

// maxStallsListed is how many stalled deals a stagnation message names.
const maxStallsListed = 5

// StagnationRule flags deals stuck in a funnel stage: open deals that have sat in their current
// stage for more than Multiple × the stage's typical duration (funnel.Stalled, with the model's
// StageModel.Days measured from real deal histories).
//
// It raises one alert per (unit, stage), not one per deal: a rep with five stuck proposals gets
// one alert that names them, and it stays one episode while the set of stuck deals changes.
// The sample's Value is the number of stalled deals and its Threshold MinDeals. Check returns
// samples only for the (unit, stage) pairs with stalled deals; a pair whose deals moved on has no
// sample, and the lifecycle resolves its alert (see Lifecycle.Evaluate).
//
// A StagnationRule is a plain value, safe for concurrent use.
type StagnationRule struct {
	// Name is the rule's name in samples; empty means RuleStagnation.
	Name string
	// Multiple of the stage's typical duration past which a deal is stalled, positive; zero
	// means DefaultStallMultiple.
	Multiple decimal.Decimal
	// MinDeals is how many stalled deals a (unit, stage) must have for the sample to be active;
	// 0 means 1. Pairs with fewer still get an inactive sample, so that their alert resolves
	// through the normal path.
	MinDeals int
}

// Validate reports whether r is well formed, as a *ValidationError.
func (r StagnationRule) Validate() error {
	switch {
	case r.Multiple.IsNegative():
		return invalid("StagnationRule.Multiple", "must be positive (0 for the default %d), got %s", DefaultStallMultiple, r.Multiple)
	case r.MinDeals < 0:
		return invalid("StagnationRule.MinDeals", "must not be negative, got %d", r.MinDeals)
	}
	return nil
}

// Check lists the deals stalled as of asOf with funnel.Stalled and returns one sample per (unit,
// stage) that has any, ordered by unit and then by stage in funnel order. Each sample is about
// the deals' owning unit, with Metric the stage's count metric (funnel.Funnel.StageMetric),
// the stage as the LabelStage extra label and no period. Its message names the longest-stalled
// deals. Errors are a *ValidationError for an invalid rule, or funnel's errors for an invalid
// model or deal.
func (r StagnationRule) Check(m funnel.Model, deals []funnel.Deal, asOf date.Date) ([]Sample, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	mult := r.Multiple
	if mult.IsZero() {
		mult = decimal.NewFromInt(DefaultStallMultiple)
	}
	stalls, err := funnel.Stalled(m, deals, asOf, mult)
	if err != nil {
		return nil, fmt.Errorf("alert: stagnation: %w", err)
	}
	return r.samples(m, stalls, mult, asOf), nil
}

// samples groups stalls by unit and stage; stalls are ordered longest first, and that order is
// kept within a group.
func (r StagnationRule) samples(m funnel.Model, stalls []funnel.Stall, mult decimal.Decimal, asOf date.Date) []Sample {
	type key struct {
		unit  string
		stage int
	}
	groups := make(map[key][]funnel.Stall)
	var keys []key
	for _, s := range stalls {
		i, _ := m.Funnel.StageIndex(s.Stage)
		k := key{s.Unit, i}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], s)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.stage, b.stage)) })
	minDeals := max(r.MinDeals, 1)
	out := make([]Sample, 0, len(keys))
	for _, k := range keys {
		g := groups[k]
		stage := m.Funnel.Stages[k.stage]
		out = append(out, Sample{
			Rule:      ruleName(r.Name, RuleStagnation),
			Unit:      k.unit,
			Metric:    m.Funnel.StageMetric(k.stage),
			Extra:     Labels{LabelStage: stage.Key},
			Active:    len(g) >= minDeals,
			Value:     decimal.NewFromInt(int64(len(g))),
			Threshold: decimal.NewFromInt(int64(minDeals)),
			Message:   stallMessage(k.unit, stage, g, mult, asOf),
		})
	}
	return out
}

// stallMessage names a group's stalled deals, longest first.
func stallMessage(unit string, stage funnel.Stage, g []funnel.Stall, mult decimal.Decimal, asOf date.Date) string {
	name := stage.Name
	if name == "" {
		name = stage.Key
	}
	deals := "deal"
	if len(g) > 1 {
		deals = "deals"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has %d %s in %s for more than %s× its typical %d days as of %s: ",
		unit, len(g), deals, name, mult.String(), max(g[0].Typical, 1), dayText(asOf))
	for i, s := range g[:min(len(g), maxStallsListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (%d days)", s.Deal, s.Days)
	}
	if n := len(g) - maxStallsListed; n > 0 {
		fmt.Fprintf(&b, " and %d more", n)
	}
	return b.String()
}
