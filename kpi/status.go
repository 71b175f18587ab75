package kpi

import (
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/decfast"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// RatePlaces is the number of decimal places of attainment, time progress,
// gap and required run-rate, rounded half away from zero (decimal.DivRound).
// Rates are not money; amounts derived from them (Expected, projections)
// are rounded the same way to the metric's own places.
const RatePlaces = 6

// Weight is the weight of one sub-period in a seasonal curve.
type Weight struct {
	Period goal.Period
	Weight decimal.Decimal // zero or positive
}

// Pace says how to measure time progress and project a goal: without a
// Curve, time progress is the share of the period's days elapsed (by Days);
// with one, it is the share of the curve's weight elapsed (seasonal pace),
// a sub-period in progress counting in proportion to its elapsed days (by
// Days, calendar days for a sub-period without a working day).
type Pace struct {
	// Days says which days count: every day (goal.ByCalendarDays, the zero
	// value) or the working days of Calendar (goal.ByWorkingDays).
	Days goal.DayBasis
	// Calendar counts working days. It is required for goal.ByWorkingDays;
	// with calendar days it is optional and, when set, RequiredRunRate is
	// per remaining working day instead of per remaining calendar day.
	Calendar *goal.Calendar
	// Curve, when given, makes the pace seasonal: a weight for each
	// sub-period (per day, per month, or the plan's own child targets via
	// CurveFromGoals), non-overlapping and within the goal's period, with a
	// positive total weight. Days of the period no sub-period covers weigh
	// nothing.
	Curve []Weight
	// Pipeline is the hook for the funnel package: the weighted value of the
	// open pipeline expected to close within the period. When valid,
	// Status.ProjectedWithPipeline is Actual + Pipeline.
	Pipeline decimal.NullDecimal
}

// String names how the pace measures time: "seasonal" when it has a curve,
// otherwise its day basis ("calendar days" or "working days").
func (p Pace) String() string {
	if len(p.Curve) > 0 {
		return "seasonal"
	}
	return p.Days.String()
}

// CurveFromGoals returns a seasonal curve whose weights are the targets of
// the given goals, sub-periods of one goal (its months or quarters): pacing
// then follows them. To pace a goal of a plan as the plan sets it (finest
// sub-periods, children of other units summed), use PlanPace.
func CurveFromGoals(goals []goal.Goal) []Weight {
	out := make([]Weight, len(goals))
	for i, g := range goals {
		out[i] = Weight{Period: g.Period, Weight: g.Target}
	}
	return out
}

// Status is where a goal stands as of a day. Every figure follows one sign
// rule: for GapRate and AheadBy, positive is good, whatever the metric's
// direction. For a higher-is-better metric good means ahead of pace; for a
// lower-is-better metric (costs, discounts, cycle time) it means under the
// pace of the ceiling.
type Status struct {
	Goal      string         `json:"goal"`
	Metric    string         `json:"metric"`
	Unit      string         `json:"unit"`
	Period    goal.Period    `json:"period"`
	AsOf      date.Date      `json:"as_of"` // the last day counted: facts dated on or before it
	Direction goal.Direction `json:"direction"`

	Target decimal.Decimal `json:"target"`
	Actual decimal.Decimal `json:"actual"` // facts dated in [Period.Start, AsOf]
	// Attainment is Actual ÷ Target (1 = 100%), RatePlaces places. It is
	// invalid when Target is zero: a zero target has no attainment, neither
	// 100% nor infinity. For lower-is-better metrics it is the share of the
	// ceiling used up.
	Attainment decimal.NullDecimal `json:"attainment"`
	// TimeProgress is the share of the period elapsed by the Pace, in [0, 1],
	// counting AsOf as elapsed.
	TimeProgress decimal.Decimal `json:"time_progress"`
	// GapRate is Attainment − TimeProgress for higher-is-better metrics and
	// TimeProgress − Attainment for lower-is-better ones, so positive is
	// always good; invalid with Attainment.
	GapRate decimal.NullDecimal `json:"gap"`
	// Expected is the actual the plan expects by now: Target × time progress
	// (exact weights, not the rounded TimeProgress), metric places.
	Expected decimal.Decimal `json:"expected"`
	// AheadBy is Actual − Expected for higher-is-better metrics and
	// Expected − Actual for lower-is-better ones: positive is good. Unlike
	// GapRate it is defined for a zero target.
	AheadBy decimal.Decimal `json:"ahead_by"`
	// Remaining is Target − Actual; negative once a higher-is-better target
	// is passed or a lower-is-better ceiling is exceeded.
	Remaining decimal.Decimal `json:"remaining"`
	// RemainingDays counts the days after AsOf to the period's end: working
	// days when Pace.Calendar is set, calendar days otherwise.
	RemainingDays int `json:"remaining_days"`
	// RequiredRunRate is Remaining ÷ RemainingDays, RatePlaces places: what
	// each remaining day must bring to reach the target exactly (for a
	// lower-is-better metric, the daily allowance left under the ceiling).
	// Zero or negative means the target is already reached (or, for lower
	// is better, the ceiling exceeded). Invalid when no day remains.
	RequiredRunRate decimal.NullDecimal `json:"required_run_rate"`
	// Projected is the period-end projection by the Pace: Actual ÷ the exact
	// elapsed share (a linear run-rate by calendar or working days, the
	// seasonal curve when the Pace has one), metric places. Invalid before
	// anything has elapsed.
	Projected decimal.NullDecimal `json:"projected"`
	// ProjectedLinear is the projection by calendar days whatever the Pace,
	// for comparison.
	ProjectedLinear decimal.NullDecimal `json:"projected_linear"`
	// ProjectedWithPipeline is Actual + Pace.Pipeline, valid when the caller
	// passed a pipeline amount.
	ProjectedWithPipeline decimal.NullDecimal `json:"projected_with_pipeline"`
	// ProjectedAttainment is Projected ÷ Target, invalid when either is
	// undefined.
	ProjectedAttainment decimal.NullDecimal `json:"projected_attainment"`
}

// Attainment returns actual ÷ target rounded to RatePlaces, invalid when
// target is zero.
func Attainment(actual, target decimal.Decimal) decimal.NullDecimal {
	return divide(valid(actual), valid(target), RatePlaces)
}

// TimeProgress returns the share of p elapsed as of asOf (asOf counted as
// elapsed) by pace's basis, rounded to RatePlaces.
func TimeProgress(p goal.Period, asOf date.Date, pace Pace) (decimal.Decimal, error) {
	el, tot, err := elapsed(p, asOf, pace)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return decfast.DivRound(el, tot, RatePlaces), nil
}

// internalPlaces is the precision of the elapsed weight of a seasonal
// sub-period in progress, before the final rounding.
const internalPlaces = 24

// elapsed returns the elapsed and total weight of p as of asOf; total > 0.
func elapsed(p goal.Period, asOf date.Date, pace Pace) (el, tot decimal.Decimal, err error) {
	if p.End <= p.Start {
		return el, tot, queryErr(ErrInvalid, "period %q is empty", p.Label)
	}
	switch {
	case pace.Days > goal.ByWorkingDays:
		return el, tot, queryErr(ErrInvalid, "unknown pace basis Days=%d; use goal.ByCalendarDays or goal.ByWorkingDays", pace.Days)
	case pace.Days == goal.ByWorkingDays && pace.Calendar == nil:
		return el, tot, queryErr(ErrInvalid, "pace by working days needs Pace.Calendar")
	}
	e := min(max(asOf+1, p.Start), p.End)
	if len(pace.Curve) > 0 {
		return seasonal(p, e, pace)
	}
	if pace.Days == goal.ByCalendarDays {
		return decimal.NewFromInt(int64(e - p.Start)), decimal.NewFromInt(int64(p.Days())), nil
	}
	t := pace.Calendar.WorkingDays(p.Start, p.End)
	if t == 0 {
		return el, tot, queryErr(ErrInvalid, "period %s has no working days; pace it by calendar days", p.Label)
	}
	return decimal.NewFromInt(int64(pace.Calendar.WorkingDays(p.Start, e))), decimal.NewFromInt(int64(t)), nil
}

// seasonal returns the elapsed and total weight of pace.Curve as of e, the
// first day not elapsed.
func seasonal(p goal.Period, e date.Date, pace Pace) (el, tot decimal.Decimal, err error) {
	curve := pace.Curve
	if !slices.IsSortedFunc(curve, byStart) {
		curve = slices.Clone(curve)
		sortCurve(curve)
	}
	var elSum, totSum decfast.Sum // value only: el and tot are divided, never shown
	for i, w := range curve {
		q := w.Period
		switch {
		case q.End <= q.Start:
			return el, tot, queryErr(ErrInvalid, "curve period %q is empty", q.Label)
		case !p.Covers(q):
			return el, tot, queryErr(ErrInvalid, "curve period %s is not within %s", q.Label, p.Label)
		case i > 0 && q.Start < curve[i-1].Period.End:
			return el, tot, queryErr(ErrInvalid, "curve periods %s and %s overlap", curve[i-1].Period.Label, q.Label)
		case w.Weight.IsNegative():
			return el, tot, queryErr(ErrInvalid, "curve weight %s of %s is negative", w.Weight, q.Label)
		}
		totSum.Add(w.Weight)
		switch {
		case e >= q.End:
			elSum.Add(w.Weight)
		case e > q.Start:
			done, all := int64(e-q.Start), int64(q.Days())
			if c := pace.Calendar; pace.Days == goal.ByWorkingDays && c.WorkingDays(q.Start, q.End) > 0 {
				done, all = int64(c.WorkingDays(q.Start, e)), int64(c.WorkingDays(q.Start, q.End))
			}
			elSum.Add(decfast.MulDivRoundInts(w.Weight, done, all, internalPlaces))
		}
	}
	el, tot = elSum.Decimal(), totSum.Decimal()
	if !tot.IsPositive() {
		return el, tot, queryErr(ErrInvalid, "the curve's weights sum to %s; give a positive total", tot)
	}
	return el, tot, nil
}

// sortCurve sorts a curve by its periods' starts, keeping the order of equal
// starts (which overlap, so elapsed refuses them).
func sortCurve(c []Weight) { slices.SortStableFunc(c, byStart) }

func byStart(a, b Weight) int { return int(a.Period.Start - b.Period.Start) }

// Track computes the status of goal g of metric m as of asOf, given its
// actual over [g.Period.Start, asOf] (facts dated after asOf must not be in
// it). It is pure: the Ledger's Status reads the actual and calls it.
func Track(g goal.Goal, m goal.Metric, actual decimal.Decimal, asOf date.Date, pace Pace) (Status, error) {
	if err := m.CheckValue(g.Target); err != nil {
		return Status{}, fmt.Errorf("kpi: goal %q target: %w", g.ID, err)
	}
	el, tot, err := elapsed(g.Period, asOf, pace)
	if err != nil {
		return Status{}, fmt.Errorf("kpi: goal %q: %w", g.ID, err)
	}
	p := g.Period
	e := min(max(asOf+1, p.Start), p.End)
	s := Status{
		Goal: g.ID, Metric: g.Metric, Unit: g.Unit, Period: p, AsOf: asOf, Direction: m.Direction,
		Target: g.Target, Actual: actual,
		Attainment:   Attainment(actual, g.Target),
		TimeProgress: decfast.DivRound(el, tot, RatePlaces),
		Expected:     decfast.MulDivRound(g.Target, el, tot, m.Places),
		Remaining:    decfast.Sub(g.Target, actual),
	}
	lower := m.Direction == goal.LowerIsBetter
	if s.Attainment.Valid {
		gap := decfast.Sub(s.Attainment.Decimal, s.TimeProgress)
		if lower {
			gap = gap.Neg()
		}
		s.GapRate = valid(gap)
	}
	s.AheadBy = decfast.Sub(actual, s.Expected)
	if lower {
		s.AheadBy = s.AheadBy.Neg()
	}
	if pace.Calendar != nil {
		s.RemainingDays = pace.Calendar.WorkingDays(e, p.End)
	} else {
		s.RemainingDays = int(p.End - e)
	}
	if s.RemainingDays > 0 {
		s.RequiredRunRate = valid(decfast.MulDivRoundInts(s.Remaining, 1, int64(s.RemainingDays), RatePlaces))
	}
	if el.IsPositive() {
		s.Projected = valid(decfast.MulDivRound(actual, tot, el, m.Places))
	}
	if days := e - p.Start; days > 0 {
		s.ProjectedLinear = valid(decfast.MulDivRoundInts(actual, int64(p.Days()), int64(days), m.Places))
	}
	if pace.Pipeline.Valid {
		s.ProjectedWithPipeline = valid(actual.Add(pace.Pipeline.Decimal))
	}
	if s.Projected.Valid {
		s.ProjectedAttainment = Attainment(s.Projected.Decimal, g.Target)
	}
	return s, nil
}

// Status reads the actual of goal g (its unit with sub-units, facts dated
// from the period's start through asOf) and returns where it stands; see
// Track. The goal's metric must be one of the ledger's and its period
// within the ledger's span.
func (l *Ledger) Status(g goal.Goal, asOf date.Date, pace Pace) (Status, error) {
	m, u, a, b, err := l.locate(g.Metric, g.Unit, g.Period)
	if err != nil {
		return Status{}, fmt.Errorf("goal %q: %w", g.ID, err)
	}
	if e := int(asOf + 1 - l.start); e < b {
		b = max(e, a)
	}
	l.mu.RLock()
	sum := l.rangeSum(m, u, a, b, Subtree).sum
	l.mu.RUnlock()
	return Track(g, l.metrics[m], fromMinor(sum, l.metrics[m].Places), asOf, pace)
}
