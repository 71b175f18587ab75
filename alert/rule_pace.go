package alert

import (
	"fmt"
	"math"
	"strconv"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// DefaultPaceAlpha is the false-flag probability per check of a PaceRule whose Alpha is zero:
// 1%, a one-sided z of about 2.33.
const DefaultPaceAlpha = 0.01

// PaceRule flags a goal that is behind pace: its actual so far is below what the plan expects by
// now by more than the metric's own randomness explains.
//
// What the plan expects is kpi.Status.Expected, which the engine computes with the plan's own
// pace (kpi.PlanPace): the plan's monthly or weekly targets as a seasonal curve, or working days
// for a leaf. A straight calendar line (LinearPaceRule) calls
// an on-plan team "behind" through most of a back-loaded quarter; the plan's curve does not.
//
// The test treats the actual to date as a sum of random events (deals, calls) whose expected
// total is Expected. Its variance is Dispersion × Expected, where Dispersion is the metric's
// variance-to-mean ratio in metric units: 1 for a Poisson count, E[X²]/E[X] of the deal size for
// an amount made of Poisson deals (see PaceDispersion), or an estimate from past periods' totals
// that also takes in their extra variation (PaceDispersionFromTotals). The score is
//
//	z = AheadBy / √(Dispersion × Expected)
//
// (AheadBy is Actual − Expected, mirrored for lower-is-better metrics so that positive is good),
// and the goal is behind pace when z < −z_α, the one-sided normal quantile of Alpha. On an
// on-plan team a check then flags with probability about Alpha (less for skewed amounts, whose
// lower tail is thinner than the normal's). Checks of one goal on successive days are strongly
// correlated, so the chance of at least one false flag over a quarter of daily checks is larger
// than Alpha, and much smaller than the number of checks times Alpha; a Policy hold (ForPeriods)
// lowers it further.
//
// On a simulated back-loaded quarter (20/30/50 over its months, 400 Poisson deals of 5,000 to
// 15,000, checked daily; see rule_simulation_test.go), the straight line flags an on-plan team in
// about 95% of checks and PaceRule at the default Alpha in under 1%. A team 20% short is flagged
// around day 37 of 92 (median), a rep with a tenth of the deals mostly not within the quarter:
// revenue pacing is slow by nature, and the early warning comes from activities (the same 20%
// shortfall in calls is flagged within days) and conversion.
//
// A PaceRule is a plain value, safe for concurrent use.
type PaceRule struct {
	// Name is the rule's name in samples; empty means RulePace.
	Name string
	// Alpha is the one-sided false-flag probability of one check of an on-plan goal, in (0, 0.5);
	// 0 means DefaultPaceAlpha (1%, z ≈ 2.33).
	Alpha float64
	// Dispersion is the variance-to-mean ratio of the metric in metric units; required (> 0).
	// Use 1 for a count of independent events (calls, deals won), PaceDispersion of past deal
	// sizes for an amount, or PaceDispersionFromTotals of past periods.
	Dispersion float64
	// MinExpected is the smallest Expected the rule judges; below it (early in the period, or a
	// small goal) the sample is inactive, since there is too little to tell pace from chance.
	// Zero means any positive Expected. It must not be negative.
	MinExpected decimal.Decimal
}

// Validate reports whether r is well formed, as a *ValidationError.
func (r PaceRule) Validate() error {
	if err := checkFinite("PaceRule.Alpha", r.Alpha); err != nil {
		return err
	}
	if r.Alpha < 0 || r.Alpha >= 0.5 {
		return invalid("PaceRule.Alpha", "must be in (0, 0.5) (0 for the default %v), got %v", DefaultPaceAlpha, r.Alpha)
	}
	if err := checkFinite("PaceRule.Dispersion", r.Dispersion); err != nil {
		return err
	}
	if r.Dispersion <= 0 {
		return invalid("PaceRule.Dispersion", "must be positive, got %v; use 1 for a count, PaceDispersion of past deal sizes for an amount", r.Dispersion)
	}
	if r.MinExpected.IsNegative() {
		return invalid("PaceRule.MinExpected", "must not be negative, got %s", r.MinExpected)
	}
	return nil
}

// z returns the rule's critical value z_α: a check flags when the score is below −z().
// It is only meaningful for a valid rule.
func (r PaceRule) z() float64 {
	if r.Alpha == 0 || r.Alpha == DefaultPaceAlpha {
		return defaultPaceZ
	}
	return zForAlpha(r.Alpha)
}

// defaultPaceZ is zForAlpha(DefaultPaceAlpha), which every check of a rule
// with the default Alpha needs.
var defaultPaceZ = zForAlpha(DefaultPaceAlpha)

// score returns the z score of s under the rule's dispersion, AheadBy/√(Dispersion × Expected),
// and false when it is undefined (Expected not positive). Negative is behind pace.
func (r PaceRule) score(s kpi.Status) (float64, bool) {
	if !s.Expected.IsPositive() || r.Dispersion <= 0 {
		return 0, false
	}
	sd := math.Sqrt(r.Dispersion * s.Expected.InexactFloat64())
	if sd == 0 || math.IsInf(sd, 0) || math.IsNaN(sd) {
		return 0, false
	}
	return s.AheadBy.InexactFloat64() / sd, true
}

// Check judges one goal's status. The sample is about s.Unit, s.Metric and s.Period, with
// Value = Actual and Threshold = Expected; it is active when the goal is behind pace (see
// PaceRule). It is inactive, with a message saying why, when Expected is not positive or is below
// MinExpected. Errors are a *ValidationError for an invalid rule or a status without a unit.
// Check is Judge with the sample's Message set by Describe.
func (r PaceRule) Check(s kpi.Status) (Sample, error) {
	out, err := r.Judge(s)
	if err != nil {
		return Sample{}, err
	}
	out.Message = r.describe(s)
	return out, nil
}

// Judge is Check without the message: the same sample, with Message empty, and the same
// errors. A host judging many goals words only the samples that reach a notification or a
// stored state (Active ones, and those of live alerts) with Describe.
func (r PaceRule) Judge(s kpi.Status) (Sample, error) {
	if err := r.Validate(); err != nil {
		return Sample{}, err
	}
	if err := checkStatus(s); err != nil {
		return Sample{}, err
	}
	out := statusSample(ruleName(r.Name, RulePace), s)
	out.Threshold = s.Expected
	z, judged := r.judge(s)
	out.Active = judged && z < -r.z()
	return out, nil
}

// judge returns the score of s and whether the rule judges it: false when the score is
// undefined or Expected is below MinExpected.
func (r PaceRule) judge(s kpi.Status) (float64, bool) {
	z, ok := r.score(s)
	return z, ok && s.Expected.Cmp(r.MinExpected) >= 0
}

// Describe returns the Message Check sets for s: the actual against the expected, the score and
// the verdict, or why pace was not judged. For a rule or status Check rejects it returns "".
func (r PaceRule) Describe(s kpi.Status) string {
	if r.Validate() != nil || checkStatus(s) != nil {
		return ""
	}
	return r.describe(s)
}

// describe is Describe of a valid rule and status.
func (r PaceRule) describe(s kpi.Status) string {
	places := statusPlaces(s)
	head := subject(s.Unit, s.Metric, s.Period) + ": " + amountText(s.Actual, places) + " against " +
		amountText(s.Expected, places) + " expected by " + dayText(s.AsOf) + " (" + percentText(s.TimeProgress) + " of the plan)"
	z, ok := r.score(s)
	switch {
	case !ok:
		return head + "; nothing expected yet, pace not judged"
	case s.Expected.Cmp(r.MinExpected) < 0:
		return fmt.Sprintf("%s; below the minimum %s to judge pace", head, amountText(r.MinExpected, places))
	}
	crit := r.z()
	active := z < -crit
	verdict := "on pace"
	switch {
	case active && s.Direction == goal.LowerIsBetter:
		verdict = "over the ceiling's pace"
	case active:
		verdict = "behind pace"
	case z < 0:
		verdict = "within chance of pace"
	}
	return head + ", z = " + signedText(z, 2) + " (flag below −" + strconv.FormatFloat(crit, 'f', 2, 64) + "): " + verdict
}

// LinearPaceRule is the pace rule CRMs ship: behind when the actual is below Fraction of a
// straight line from zero at the period's start to the target at its end, by calendar days,
// whatever the plan's shape and however noisy the metric. It is kept for contrast with PaceRule:
// on a back-loaded quarter it calls an on-plan team behind through most of the quarter, and on a
// small, noisy metric its false-flag rate is whatever the data make it.
//
// A LinearPaceRule is a plain value, safe for concurrent use.
type LinearPaceRule struct {
	// Name is the rule's name in samples; empty means RuleLinearPace.
	Name string
	// Fraction of the straight line under which a higher-is-better goal is behind, in (0, 1];
	// 0 means 1 (any shortfall from the line). For a lower-is-better metric the goal is behind
	// when its actual is above (2 − Fraction) × the line.
	Fraction decimal.Decimal
}

// Validate reports whether r is well formed, as a *ValidationError.
func (r LinearPaceRule) Validate() error {
	if r.Fraction.IsNegative() || r.Fraction.GreaterThan(decimal.NewFromInt(1)) {
		return invalid("LinearPaceRule.Fraction", "must be in (0, 1] (0 for the default 1), got %s", r.Fraction)
	}
	return nil
}

// linearExpected returns the straight-line expectation of s: Target × the share of the
// period's calendar days elapsed as of s.AsOf (counted as elapsed), rounded half away from zero
// to the places of s.Expected.
func linearExpected(s kpi.Status) decimal.Decimal {
	p := s.Period
	days := p.Days()
	if days <= 0 {
		return decimal.Zero
	}
	el := min(max(s.AsOf+1, p.Start), p.End) - p.Start
	return s.Target.Mul(decimal.NewFromInt(int64(el))).DivRound(decimal.NewFromInt(int64(days)), statusPlaces(s))
}

// Check judges one goal's status against the straight line. The sample has Value = Actual and
// Threshold = Fraction × the line (for lower-is-better, (2 − Fraction) × the line); it is active
// when the actual is strictly below that threshold (above it, for lower-is-better).
func (r LinearPaceRule) Check(s kpi.Status) (Sample, error) {
	if err := r.Validate(); err != nil {
		return Sample{}, err
	}
	if err := checkStatus(s); err != nil {
		return Sample{}, err
	}
	one := decimal.NewFromInt(1)
	f := r.Fraction
	if f.IsZero() {
		f = one
	}
	places := statusPlaces(s)
	line := linearExpected(s)
	out := statusSample(ruleName(r.Name, RuleLinearPace), s)
	if s.Direction == goal.LowerIsBetter {
		out.Threshold = line.Mul(one.Add(one.Sub(f))).Round(places)
		out.Active = s.Actual.GreaterThan(out.Threshold)
	} else {
		out.Threshold = line.Mul(f).Round(places)
		out.Active = s.Actual.LessThan(out.Threshold)
	}
	verdict := "on pace"
	switch {
	case out.Active && s.Direction == goal.LowerIsBetter:
		verdict = "over the ceiling's pace"
	case out.Active:
		verdict = "behind pace"
	}
	out.Message = fmt.Sprintf("%s: %s against %s on a straight line by %s (limit %s): %s",
		subject(s.Unit, s.Metric, s.Period), amountText(s.Actual, places), amountText(line, places),
		dayText(s.AsOf), amountText(out.Threshold, places), verdict)
	return out, nil
}

// checkStatus validates the parts of a status a rule relies on.
func checkStatus(s kpi.Status) error {
	switch {
	case s.Unit == "":
		return invalid("Status.Unit", "must not be empty; compute the status with kpi.Track or Ledger.Status")
	case s.Period.End <= s.Period.Start:
		return invalid("Status.Period", "must be a non-empty period, got %s to %s", s.Period.Start, s.Period.End)
	}
	return nil
}

// statusSample returns the identity and Value of a sample about s.
func statusSample(rule string, s kpi.Status) Sample {
	return Sample{Rule: rule, Unit: s.Unit, Metric: s.Metric, Period: s.Period, Value: s.Actual}
}

// statusPlaces returns the metric's decimal places as the status shows them: Expected is
// rounded to them by kpi.Track; the target and actual may show more.
func statusPlaces(s kpi.Status) int32 {
	return max(placesOf(s.Expected), placesOf(s.Target), placesOf(s.Actual))
}

// PaceDispersion estimates a PaceRule's Dispersion for an amount from past per-fact values
// (deal sizes, order amounts): E[X²]/E[X] = Σx² / Σx. If facts arrive as a Poisson process,
// their total over any stretch of time has variance Dispersion × mean. Values must be positive
// (refunds and zeros say nothing about deal size); at least 2 are required.
func PaceDispersion(values []decimal.Decimal) (float64, error) {
	if len(values) < 2 {
		return 0, invalid("values", "need at least 2 past values, got %d", len(values))
	}
	var sum, sumSq float64
	for i, v := range values {
		if !v.IsPositive() {
			return 0, invalid(fmt.Sprintf("values[%d]", i), "must be positive, got %s; leave out refunds and zero facts", v)
		}
		x := v.InexactFloat64()
		sum += x
		sumSq += x * x
	}
	d := sumSq / sum
	if math.IsInf(d, 0) || math.IsNaN(d) {
		return 0, invalid("values", "are too large to estimate a dispersion")
	}
	return d, nil
}

// PaceDispersionFromTotals estimates a PaceRule's Dispersion from past periods' totals and what
// the plan expected of each (months of last year against their targets, say). It fits the
// plan's shape to the actual level, c = Σactual ÷ Σexpected, and returns Pearson's statistic
// over the degrees of freedom,
//
//	D = Σ (a − c·e)² / (c·e) / (k − 1),
//
// in metric units. Unlike PaceDispersion it includes period-to-period variation beyond the
// Poisson model (seasonality the plan missed, lumpy deals), so it is the safer estimate when
// a few years of history exist. actual and expected must have the same length, at least 2, and
// every expected must be positive, as must the total actual.
func PaceDispersionFromTotals(actual, expected []decimal.Decimal) (float64, error) {
	if len(actual) != len(expected) {
		return 0, invalid("actual", "has %d periods but expected has %d; give one expected figure per period", len(actual), len(expected))
	}
	if len(actual) < 2 {
		return 0, invalid("actual", "need at least 2 past periods, got %d", len(actual))
	}
	var sa, se float64
	for i := range actual {
		if !expected[i].IsPositive() {
			return 0, invalid(fmt.Sprintf("expected[%d]", i), "must be positive, got %s", expected[i])
		}
		sa += actual[i].InexactFloat64()
		se += expected[i].InexactFloat64()
	}
	if sa <= 0 {
		return 0, invalid("actual", "must have a positive total, got %v", sa)
	}
	c := sa / se
	var chi float64
	for i := range actual {
		m := c * expected[i].InexactFloat64()
		dev := actual[i].InexactFloat64() - m
		chi += dev * dev / m
	}
	d := chi / float64(len(actual)-1)
	switch {
	case math.IsInf(d, 0) || math.IsNaN(d):
		return 0, invalid("actual", "are too large to estimate a dispersion")
	case d == 0:
		return 0, invalid("actual", "follow the plan's shape exactly; there is no variation to estimate a dispersion from")
	}
	return d, nil
}
