package alert

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/decfast"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Projection says which period-end projection of a kpi.Status a ProjectedMissRule judges.
type Projection uint8

const (
	// ProjectRunRate is the zero value: Status.Projected, the actual extrapolated along the
	// status's pace (a run-rate for calendar or working days, the plan's curve for Seasonal).
	ProjectRunRate Projection = iota
	// ProjectPipeline is Status.ProjectedWithPipeline: the actual plus the weighted open
	// pipeline expected to close in the period (funnel.Pipeline and funnel.SumPipeline, passed
	// as kpi.Pace.Pipeline). Only for higher-is-better metrics.
	ProjectPipeline
	// ProjectBest is the higher of the two: a miss is flagged only when neither the run-rate nor
	// the pipeline reaches the line, so a team whose run-rate lags but whose pipeline covers the
	// gap is not flagged. It falls back to the run-rate when no pipeline was given. Only for
	// higher-is-better metrics.
	ProjectBest
)

// String returns "run-rate", "pipeline" or "best".
func (p Projection) String() string {
	switch p {
	case ProjectRunRate:
		return "run-rate"
	case ProjectPipeline:
		return "pipeline"
	case ProjectBest:
		return "best"
	}
	return fmt.Sprintf("Projection(%d)", uint8(p))
}

// ProjectedMissRule flags a goal projected to miss its target by more than a tolerance: for a
// higher-is-better metric, the projection below Target × (1 − Tolerance); for a lower-is-better
// one (a ceiling), the run-rate projection above Target × (1 + Tolerance).
//
// A run-rate projection early in a period is mostly noise (a good first day projects a record
// quarter), so MinProgress holds the rule back until that share of the period has elapsed. For a
// test that weighs the noise explicitly, use PaceRule: "behind the plan's curve by more than
// chance" is the same question asked with the metric's variance.
//
// A ProjectedMissRule is a plain value, safe for concurrent use.
type ProjectedMissRule struct {
	// Name is the rule's name in samples; empty means RuleProjectedMiss.
	Name string
	// Tolerance is how far the projection may fall short of the target (exceed the ceiling)
	// before the rule flags, as a fraction of the target in [0, 1): 0.05 flags a projection more
	// than 5% below target. Zero flags any projected shortfall.
	Tolerance decimal.Decimal
	// Projection chooses the projection; the zero value is ProjectRunRate.
	Projection Projection
	// MinProgress is the share of the period (Status.TimeProgress) that must have elapsed before
	// the rule judges, in [0, 1]; before it the sample is inactive. Zero judges as soon as there
	// is a projection.
	MinProgress decimal.Decimal
}

// one is 1, which every check compares the rule's fractions with.
var one = decimal.NewFromInt(1)

// Validate reports whether r is well formed, as a *ValidationError.
func (r ProjectedMissRule) Validate() error {
	switch {
	case r.Tolerance.IsNegative() || r.Tolerance.GreaterThanOrEqual(one):
		return invalid("ProjectedMissRule.Tolerance", "must be in [0, 1), got %s; 0.05 means 5%% below target", r.Tolerance)
	case r.Projection > ProjectBest:
		return invalid("ProjectedMissRule.Projection", "unknown projection %d", r.Projection)
	case r.MinProgress.IsNegative() || r.MinProgress.GreaterThan(one):
		return invalid("ProjectedMissRule.MinProgress", "must be in [0, 1], got %s", r.MinProgress)
	}
	return nil
}

// Check judges one goal's status. The sample is about s.Unit, s.Metric and s.Period, with
// Value = the projection and Threshold = the line it is compared with. It is inactive when the
// projection is undefined (nothing has elapsed, or ProjectPipeline without a pipeline) or
// TimeProgress is below MinProgress. Errors are a *ValidationError for an invalid rule, a status
// without a unit, or a pipeline projection of a lower-is-better metric. Check is Judge with the
// sample's Message set by Describe.
func (r ProjectedMissRule) Check(s kpi.Status) (Sample, error) {
	out, err := r.Judge(s)
	if err != nil {
		return Sample{}, err
	}
	out.Message = r.describe(s, out)
	return out, nil
}

// Judge is Check without the message: the same sample, with Message empty, and the same
// errors. A host judging many goals words only the samples that reach a notification or a
// stored state (Active ones, and those of live alerts) with Describe.
func (r ProjectedMissRule) Judge(s kpi.Status) (Sample, error) {
	if err := r.check(s); err != nil {
		return Sample{}, err
	}
	out := statusSample(ruleName(r.Name, RuleProjectedMiss), s)
	lower := s.Direction == goal.LowerIsBetter
	out.Threshold = decfast.MulMarginRound(s.Target, r.Tolerance, lower, statusPlaces(s))
	proj, _ := r.projection(s)
	out.Value = proj.Decimal
	switch {
	case !proj.Valid:
		out.Value = decimal.Zero
	case s.TimeProgress.LessThan(r.MinProgress):
	case lower:
		out.Active = proj.Decimal.GreaterThan(out.Threshold)
	default:
		out.Active = proj.Decimal.LessThan(out.Threshold)
	}
	return out, nil
}

// check returns the error Check returns for s, if any.
func (r ProjectedMissRule) check(s kpi.Status) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := checkStatus(s); err != nil {
		return err
	}
	if s.Direction == goal.LowerIsBetter && r.Projection != ProjectRunRate {
		return invalid("ProjectedMissRule.Projection", "%s projects a higher-is-better metric; a ceiling of %s is judged by its run-rate (ProjectRunRate)", r.Projection, s.Metric)
	}
	return nil
}

// Describe returns the Message Check sets for s: the projection against the target and the
// verdict, or why the rule did not judge. For a rule or status Check rejects it returns "".
func (r ProjectedMissRule) Describe(s kpi.Status) string {
	out, err := r.Judge(s)
	if err != nil {
		return ""
	}
	return r.describe(s, out)
}

// describe words the sample Judge returned for s.
func (r ProjectedMissRule) describe(s kpi.Status, out Sample) string {
	lower := s.Direction == goal.LowerIsBetter
	places := statusPlaces(s)
	proj, how := r.projection(s)
	head := subject(s.Unit, s.Metric, s.Period)
	switch {
	case !proj.Valid:
		return fmt.Sprintf("%s: no %s projection as of %s, not judged", head, r.Projection, dayText(s.AsOf))
	case s.TimeProgress.LessThan(r.MinProgress):
		return fmt.Sprintf("%s: projected %s (%s) with %s of the period elapsed, not judged before %s",
			head, amountText(proj.Decimal, places), how, percentText(s.TimeProgress), percentText(r.MinProgress))
	}
	noun := "target"
	if lower {
		noun = "ceiling"
	}
	rel := ""
	if s.Target.IsPositive() {
		rel = ", " + percentText(decfast.DivRound(proj.Decimal, s.Target, 4)) + " of " + noun
	}
	verdict := "on track"
	switch {
	case out.Active && lower:
		verdict = "projected over the ceiling"
	case out.Active:
		verdict = "projected to miss"
	}
	return head + ": projected " + amountText(proj.Decimal, places) + " by period end (" + how + ", as of " +
		dayText(s.AsOf) + ") against " + noun + " " + amountText(s.Target, places) + rel + " (limit " +
		amountText(out.Threshold, places) + "): " + verdict
}

// projection returns the projection the rule judges and a few words on how it was made.
func (r ProjectedMissRule) projection(s kpi.Status) (decimal.NullDecimal, string) {
	switch r.Projection {
	case ProjectPipeline:
		return s.ProjectedWithPipeline, "actual plus weighted pipeline"
	case ProjectBest:
		pipe := s.ProjectedWithPipeline
		if !s.Projected.Valid && !pipe.Valid {
			return s.Projected, "run-rate"
		}
		if !pipe.Valid {
			return s.Projected, "run-rate; no pipeline given"
		}
		if !s.Projected.Valid || pipe.Decimal.GreaterThan(s.Projected.Decimal) {
			return pipe, "actual plus weighted pipeline, above the run-rate"
		}
		return s.Projected, "run-rate, above actual plus weighted pipeline"
	}
	return s.Projected, "run-rate"
}
