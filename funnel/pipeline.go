package funnel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// PipelineOptions configure Pipeline. A nil *PipelineOptions means the
// defaults.
type PipelineOptions struct {
	// Calendar maps expected close dates to periods; nil means
	// goal.NewCalendar(nil).
	Calendar *goal.Calendar
	// Grain of the periods; the zero value (goal.Range) means goal.Month.
	Grain goal.Grain
	// Org, when set, adds a row for every ancestor of a deal's unit, so a
	// manager's pipeline is the sum of his reps' deals; every deal's Unit
	// must then be in the org.
	Org *goal.Org
}

// PipelineRow is the open pipeline of one unit expected to close in one
// period.
type PipelineRow struct {
	Unit   string
	Period goal.Period
	Deals  int             // open deals
	Value  decimal.Decimal // their total value, unweighted
	// Weighted is Σ value × win probability of the deal's current stage,
	// exact (decimal products are not rounded).
	Weighted decimal.Decimal
}

// Pipeline returns the weighted open pipeline as of asOf, per unit and
// expected close period: the amount the KPI projection adds to what is
// already won.
//
// A deal is open as of asOf when its last transition on or before asOf is an
// open stage. Its expected close is Deal.ExpectedClose when set; else, when
// the model's stage has a lag distribution (StageModel.Lags), the day it
// entered its current stage plus the median of the lags longer than the
// days it has already spent there (a deal 40 days in has not won within 40
// days); else that day plus the typical durations of that stage and every
// later one. An expected close before asOf (an overdue deal) is taken as
// asOf, since the deal can only close from now on. Its weight is
// the model's Win probability of its current stage.
//
// Rows are ordered by unit (org index order with an Org, else first
// appearance) and period start. Deals must be valid in the model's funnel
// and in the model's currency (else ErrCurrencyMismatch).
func Pipeline(m Model, deals []Deal, asOf date.Date, opts *PipelineOptions) ([]PipelineRow, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if asOf == 0 {
		return nil, invalid("as-of date", "", "give the day the pipeline is taken; the package never reads the clock")
	}
	var o PipelineOptions
	if opts != nil {
		o = *opts
	}
	if o.Calendar == nil {
		cal, err := goal.NewCalendar(nil)
		if err != nil {
			return nil, fmt.Errorf("funnel: default calendar: %w", err)
		}
		o.Calendar = cal
	}
	if o.Grain == goal.Range {
		o.Grain = goal.Month
	}
	if o.Grain < goal.Day || o.Grain > goal.Year {
		return nil, invalid("grain", o.Grain.String(), "use one of goal.Day, Week, Month, Quarter, Half or Year")
	}
	type key struct {
		unit  string
		start date.Date
	}
	rows := map[key]*PipelineRow{}
	unitOrder := map[string]int{}
	var tr trace
	for i := range deals {
		d := &deals[i]
		if err := d.Validate(m.Funnel); err != nil {
			return nil, err
		}
		if d.Currency != m.Currency {
			return nil, fmt.Errorf("funnel: deal %q is in %q but the model is in %q; weigh each currency separately: %w", d.ID, d.Currency, m.Currency, ErrCurrencyMismatch)
		}
		if !traceOf(m.Funnel, d, asOf, &tr) || tr.outcome != kindOpen || tr.current < 0 {
			continue
		}
		closeOn := d.ExpectedClose
		if closeOn == 0 {
			closeOn = tr.since + date.Date(m.closeLag(tr.current, int(asOf-tr.since)))
		}
		closeOn = max(closeOn, asOf)
		p, err := o.Calendar.PeriodOf(o.Grain, closeOn)
		if err != nil {
			return nil, fmt.Errorf("funnel: pipeline grain: %w", err)
		}
		units := []string{d.Unit}
		if o.Org != nil {
			u, ok := o.Org.Index(d.Unit)
			if !ok {
				return nil, fmt.Errorf("funnel: deal %q is owned by unit %q, which is not in the org: %w", d.ID, d.Unit, ErrNotFound)
			}
			units = units[:0]
			for ; u != -1; u = o.Org.ParentIndex(u) {
				units = append(units, o.Org.At(u).ID)
				unitOrder[o.Org.At(u).ID] = u
			}
		} else if _, ok := unitOrder[d.Unit]; !ok {
			unitOrder[d.Unit] = len(unitOrder)
		}
		w := d.Value.Mul(m.Stages[tr.current].Win)
		for _, u := range units {
			k := key{u, p.Start}
			r := rows[k]
			if r == nil {
				r = &PipelineRow{Unit: u, Period: p, Value: decimal.Zero, Weighted: decimal.Zero}
				rows[k] = r
			}
			r.Deals++
			r.Value = r.Value.Add(d.Value)
			r.Weighted = r.Weighted.Add(w)
		}
	}
	out := make([]PipelineRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b PipelineRow) int {
		return cmp.Or(cmp.Compare(unitOrder[a.Unit], unitOrder[b.Unit]), cmp.Compare(a.Period.Start, b.Period.Start))
	})
	return out, nil
}

// SumPipeline adds up the rows of unit whose period lies within p (for
// instance the months left in a quarter), returning the unweighted and the
// weighted amounts.
func SumPipeline(rows []PipelineRow, unit string, p goal.Period) (value, weighted decimal.Decimal) {
	value, weighted = decimal.Zero, decimal.Zero
	for _, r := range rows {
		if r.Unit == unit && p.Covers(r.Period) {
			value, weighted = value.Add(r.Value), weighted.Add(r.Weighted)
		}
	}
	return value, weighted
}

// CoveragePlaces is the number of decimal places of a coverage ratio.
const CoveragePlaces = 4

// Coverage returns the pipeline coverage ratio pipeline ÷ remaining, rounded
// half-even to CoveragePlaces (3 means the pipeline is three times what is
// still to be won). It reports false when remaining is zero or negative: the
// target is already met and coverage is undefined, not infinite.
func Coverage(pipeline, remaining decimal.Decimal) (decimal.Decimal, bool) {
	if remaining.Sign() <= 0 {
		return decimal.Zero, false
	}
	return pipeline.DivRound(remaining, CoveragePlaces), true
}
