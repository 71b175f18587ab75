package funnel

import (
	"fmt"
	"math"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// MeasureOptions say which deals a measurement looks at and as of when.
type MeasureOptions struct {
	// AsOf is the day the measurement is taken; required. Transitions dated
	// after it are ignored, as if they had not happened yet, so measuring a
	// past day gives what was known then.
	AsOf date.Date
	// From and To bound the cohort window [From, To): a stage's cohort is
	// the deals that entered it in the window, and Won counts the deals won
	// in it. A zero From means since always; a zero To means through AsOf.
	From, To date.Date
	// PriorStrength is the weight, in pseudo-deals, of the parent unit's
	// rate when MeasureByUnit smooths a unit's rates. Zero means
	// DefaultPriorStrength; a negative value turns smoothing off. Measure
	// ignores it.
	PriorStrength float64
	// Aging is the host's policy for deals that stopped moving; nil means
	// none (an open deal stays open however old). See Aging.
	Aging *Aging
	// Horizon, when positive, also measures every stage's conversion within
	// Horizon days of entering it over the cohort deals that had Horizon
	// days to mature (StageMeasure.Within); zero skips it.
	Horizon int
	// KeepGood measures the deals that are well formed and reports the rest
	// in Measurement.Rejected, each with its reason, instead of failing on
	// the first bad history (the default, strict, mode).
	KeepGood bool
}

func (o MeasureOptions) validate() error {
	if o.AsOf == 0 {
		return invalid("as-of date", "", "set MeasureOptions.AsOf; the package never reads the clock")
	}
	if math.IsNaN(o.PriorStrength) || math.IsInf(o.PriorStrength, 0) {
		return invalid("prior strength", fmt.Sprint(o.PriorStrength), "give a finite number of pseudo-deals, 0 for the default or a negative number for no smoothing")
	}
	if o.Horizon < 0 || o.Horizon > MaxStageDays {
		return invalid("horizon", fmt.Sprint(o.Horizon), "give the days from 0 to %d within which conversion is measured", MaxStageDays)
	}
	if o.To != 0 && o.To <= o.From {
		return invalid("window", fmt.Sprintf("[%s,%s)", o.From, o.To), "To must be after From (the window is half-open)")
	}
	return nil
}

func (o MeasureOptions) inWindow(d date.Date) bool {
	return d >= o.From && (o.To == 0 || d < o.To)
}

// StageMeasure is what a measurement found about one open stage.
//
// The cohort is the deals that entered the stage in the window, counting a
// deal that skipped the stage (went from an earlier stage straight past it)
// as having entered it on the day it passed it. Each cohort deal is, as of
// the measurement date, in exactly one of: advanced past the stage, ended
// (lost or invalid) without advancing, or still open in it (OpenHere).
type StageMeasure struct {
	Stage    string
	Entered  int // cohort size
	Skipped  int // cohort deals that passed the stage without a transition to it
	Advanced int // reached a later stage or won
	Lost     int // lost without advancing
	Invalid  int // marked invalid without advancing
	OpenHere int // still open and not advanced: unresolved for Advance and Win
	// OpenLater counts deals that advanced but have no outcome yet: resolved
	// for Advance, unresolved for Win.
	OpenLater int
	// Advance is the conversion to the next stage (to won, for the last
	// stage): Advanced of Entered − OpenHere. Lost and invalid deals are
	// failures; an invalid lead used a slot the reverse funnel must refill.
	Advance Ratio
	// Win is the probability of winning from this stage: deals won of the
	// cohort deals that reached an outcome.
	Win Ratio
	// Conversion is the censoring-aware probability of advancing past the
	// stage (winning, for the last stage): the Aalen–Johansen estimate over
	// the whole cohort, where open deals count as at risk for as long as
	// they have been open, and lost, invalid and stalled deals compete.
	// Unlike Advance it is right when losses go unrecorded.
	Conversion Estimate
	// Winning is the censoring-aware probability of winning from the stage.
	Winning Estimate
	// Curve is Conversion by day: the estimated share of the cohort that
	// advanced (and that ended otherwise) within Days days of entering.
	Curve []CurvePoint
	// Lags is the censoring-aware distribution of the days from entering
	// the stage to winning, among deals that win; the reverse funnel spreads
	// a stage's entries over periods by it.
	Lags []Lag
	// Matured counts the cohort deals that entered at least
	// MeasureOptions.Horizon days before the as-of date, and Within is their
	// conversion within Horizon days: Within.Hits of Within.Trials =
	// Matured. A deal that has not had Horizon days yet is immature: neither
	// a failure nor a success. Both are zero without a Horizon; a cohort is
	// mature when Matured equals Entered.
	Matured int
	Within  Ratio
	// Days is how long deals took from entering the stage to entering a
	// later one (to winning, for the last stage). Only deals that advanced,
	// and that entered the stage by a transition to it, are measured: a deal
	// that skipped the stage has no duration in it, and a deal that ended or
	// is open has not finished its stay.
	Days Durations
}

// Measurement is a funnel measured over a set of deals: per stage
// conversion, win probability and duration, and the value of deals won.
// It is a plain value.
type Measurement struct {
	Funnel   Funnel
	Unit     string // the unit measured, with its sub-units; empty for Measure
	AsOf     date.Date
	From, To date.Date
	Currency string // the deals' currency; empty when they give none
	Deals    int    // deals with at least one transition on or before AsOf
	Stages   []StageMeasure
	// Won counts the deals won in the window, and WonValue is their exact
	// total value.
	Won      int
	WonValue decimal.Decimal
	// AvgWonValue is WonValue ÷ Won rounded half-even to AvgPlaces; zero
	// when Won is zero.
	AvgWonValue decimal.Decimal
	// Stalled lists the open deals the aging policy counts as lost, longest
	// stay first (Stall.Typical holds the stage's limit).
	Stalled []Stall
	// Rejected lists the deals left out in KeepGood mode, with the reason,
	// in input order. MeasureByUnit gives every unit the same list (of the
	// whole call), shared: copy it before changing it.
	Rejected []Rejected
}

// Rejected is a deal that KeepGood mode left out of a measurement, and why.
type Rejected struct {
	Deal string
	Unit string
	// Err says what is wrong with the deal; it matches ErrInvalid,
	// ErrNotFound or ErrCurrencyMismatch.
	Err error
}

// tally accumulates the counts of one measurement.
type tally struct {
	deals    int
	stages   []stageTally
	won      int
	wonValue decimal.Decimal
	members  []int32 // indexes of the deals counted
}

type stageTally struct {
	entered, skipped, advanced, lost, invalid, openHere, openLater, won int
	days                                                                []int
	cohort                                                              []stageObs
}

// newTally returns a tally of n stages with room for deals deals, so that
// appending does not copy (0 when unknown).
func newTally(n, deals int) *tally {
	t := &tally{stages: make([]stageTally, n), wonValue: decimal.Zero, members: make([]int32, 0, deals)}
	for s := range t.stages {
		t.stages[s].cohort = make([]stageObs, 0, deals)
	}
	return t
}

// add counts one deal's trace into t.
func (t *tally) add(f Funnel, tr *trace, idx int32, value decimal.Decimal, o MeasureOptions) {
	t.deals++
	t.members = append(t.members, idx)
	n := len(f.Stages)
	if tr.outcome == kindWon && o.inWindow(tr.closed) {
		t.won++
		t.wonValue = t.wonValue.Add(value)
	}
	if tr.first < 0 {
		return
	}
	for s := tr.first; s <= tr.reach && s < n; s++ {
		if !o.inWindow(tr.entry[s]) {
			continue
		}
		st := &t.stages[s]
		st.entered++
		so := stageObs{entry: tr.entry[s], deal: idx}
		if tr.reach > s {
			so.left = tr.closed // won from the last stage
			if s+1 < n {
				so.left = tr.entry[s+1]
			}
		}
		st.cohort = append(st.cohort, so)
		if !tr.direct[s] {
			st.skipped++
		}
		switch {
		case tr.reach > s:
			st.advanced++
			if tr.direct[s] {
				st.days = append(st.days, int(so.left-so.entry))
			}
			if tr.outcome == kindOpen {
				st.openLater++
			}
		case tr.outcome == kindLost:
			st.lost++
		case tr.outcome == kindInvalid:
			st.invalid++
		default:
			st.openHere++
		}
		if tr.outcome == kindWon {
			st.won++
		}
	}
}

// run is what every tally of one call shares: the funnel, the options, the
// deals, each deal's fate and the stages' age limits.
type run struct {
	f        Funnel
	o        MeasureOptions
	deals    []Deal
	fates    []fate
	limits   []int
	currency string
	rejected []Rejected
}

// newRun validates f, o and the deals. In strict mode the first bad deal
// fails the call; with o.KeepGood, bad deals are recorded in rejected and
// marked with a zero fate so that they are skipped.
func newRun(f Funnel, deals []Deal, o MeasureOptions) (*run, []bool, error) {
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, nil, err
	}
	if err := o.Aging.validate(f); err != nil {
		return nil, nil, err
	}
	r := &run{f: f, o: o, deals: deals, fates: make([]fate, len(deals))}
	good := make([]bool, len(deals))
	first := -1
	for i := range deals {
		d := &deals[i]
		err := d.Validate(f)
		if err == nil && first >= 0 && d.Currency != r.currency {
			err = fmt.Errorf("funnel: deal %q is in %q but deal %q is in %q; measure each currency separately: %w",
				d.ID, d.Currency, deals[first].ID, r.currency, ErrCurrencyMismatch)
		}
		if err != nil {
			if !o.KeepGood {
				return nil, nil, err
			}
			r.rejected = append(r.rejected, Rejected{Deal: d.ID, Unit: d.Unit, Err: err})
			continue
		}
		if first < 0 {
			first, r.currency = i, d.Currency
		}
		good[i] = true
	}
	return r, good, nil
}

// reject records a deal left out for err in KeepGood mode, or returns err in
// strict mode.
func (r *run) reject(d *Deal, err error) error {
	if !r.o.KeepGood {
		return err
	}
	r.rejected = append(r.rejected, Rejected{Deal: d.ID, Unit: d.Unit, Err: err})
	return nil
}

// setLimits derives the stages' age limits from the pooled tally's
// durations; it sorts them in place.
func (r *run) setLimits(pooled *tally) {
	durations := make([][]int, len(pooled.stages))
	for s := range pooled.stages {
		slices.Sort(pooled.stages[s].days)
		durations[s] = pooled.stages[s].days
	}
	r.limits = r.o.Aging.limits(r.f, durations)
}

// measurement turns the tally into a Measurement; it sorts the duration
// samples and the cohorts' observations in place.
func (r *run) measurement(t *tally, unit string) Measurement {
	f, o := r.f, r.o
	m := Measurement{
		Funnel: f, Unit: unit, AsOf: o.AsOf, From: o.From, To: o.To, Currency: r.currency,
		Deals: t.deals, Stages: make([]StageMeasure, len(f.Stages)),
		Won: t.won, WonValue: t.wonValue, AvgWonValue: decimal.Zero,
	}
	if t.won > 0 {
		m.AvgWonValue = t.wonValue.DivRound(decimal.NewFromInt(int64(t.won)), AvgPlaces)
	}
	for s, st := range t.stages {
		adv, win := censoredObs(st.cohort, r.fates, r.limits, o.AsOf)
		advInc, winInc := estimateIncidence(adv), estimateIncidence(win)
		sm := StageMeasure{
			Stage: f.Stages[s].Key, Entered: st.entered, Skipped: st.skipped, Advanced: st.advanced,
			Lost: st.lost, Invalid: st.invalid, OpenHere: st.openHere, OpenLater: st.openLater,
			Advance:    newRatio(st.advanced, st.entered-st.openHere),
			Win:        newRatio(st.won, st.entered-st.openHere-st.openLater),
			Conversion: advInc.estimate(advInc.lastEvent()),
			Winning:    winInc.estimate(winInc.lastEvent()),
			Curve:      advInc.curve(),
			Lags:       winInc.lags(),
			Days:       durationsOf(st.days),
		}
		if o.Horizon > 0 {
			matured, hits := within(st.cohort, o.Horizon, o.AsOf)
			sm.Matured, sm.Within = matured, newRatio(hits, matured)
		}
		m.Stages[s] = sm
	}
	for _, i := range t.members {
		fa := r.fates[i]
		if end, ok := fa.stalledOn(r.limits, o.AsOf); ok {
			d := &r.deals[i]
			m.Stalled = append(m.Stalled, Stall{Deal: d.ID, Unit: d.Unit, Stage: f.Stages[fa.current].Key, Since: fa.since,
				Days: int(o.AsOf - fa.since), Typical: int(end - fa.since)})
		}
	}
	sortStalls(m.Stalled)
	m.Rejected = r.rejected
	return m
}

// Measure measures funnel f over all the given deals pooled together. It
// validates the funnel, the options and every deal; in strict mode it fails
// on the first problem, naming the deal, and with o.KeepGood it leaves bad
// deals out and lists them in Measurement.Rejected. Deals with no
// transition on or before o.AsOf are not counted. Rates are not smoothed
// (Smoothed equals Rate).
func Measure(f Funnel, deals []Deal, o MeasureOptions) (Measurement, error) {
	r, good, err := newRun(f, deals, o)
	if err != nil {
		return Measurement{}, err
	}
	t := newTally(len(f.Stages), len(deals))
	var tr trace
	for i := range deals {
		if good[i] && traceOf(f, &deals[i], o.AsOf, &tr) {
			r.fates[i] = fateOf(&tr)
			t.add(f, &tr, int32(i), deals[i].Value, o)
		}
	}
	r.setLimits(t)
	return r.measurement(t, ""), nil
}

// MeasureByUnit measures funnel f for every unit of org: each unit's
// measurement pools the deals of the unit and all its descendants, counted
// from the deals themselves (a manager's rate is never an average of his
// reps' rates). Rates are then smoothed down the tree: a root keeps its own
// rate, and every other unit's rate is shrunk toward its parent's smoothed
// rate with o.PriorStrength pseudo-deals (see Ratio.Smoothed and
// Estimate.Smoothed). An aging percentile is taken over all the deals, so
// every unit stalls a deal at the same age.
//
// The result has one Measurement per unit, in org index order (org.At(i) is
// the unit of result[i]). Every deal's Unit must be in org; a deal of an
// unknown unit fails with an error matching ErrNotFound (with o.KeepGood it
// is rejected instead).
func MeasureByUnit(f Funnel, deals []Deal, org *goal.Org, o MeasureOptions) ([]Measurement, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if org == nil {
		return nil, invalid("org", "", "MeasureByUnit needs an org; use Measure to pool deals without one")
	}
	r, good, err := newRun(f, deals, o)
	if err != nil {
		return nil, err
	}
	tallies := make([]*tally, org.Len())
	for i := range tallies {
		tallies[i] = newTally(len(f.Stages), 0)
	}
	pooled := newTally(len(f.Stages), 0)
	var tr trace
	for i := range deals {
		d := &deals[i]
		if !good[i] {
			continue
		}
		u, ok := org.Index(d.Unit)
		if !ok {
			if err := r.reject(d, fmt.Errorf("funnel: deal %q is owned by unit %q, which is not in the org: %w", d.ID, d.Unit, ErrNotFound)); err != nil {
				return nil, err
			}
			continue
		}
		if !traceOf(f, d, o.AsOf, &tr) {
			continue
		}
		r.fates[i] = fateOf(&tr)
		if o.Aging != nil {
			pooled.add(f, &tr, int32(i), d.Value, o)
		}
		for ; u != -1; u = org.ParentIndex(u) {
			tallies[u].add(f, &tr, int32(i), d.Value, o)
		}
	}
	r.setLimits(pooled)
	out := make([]Measurement, org.Len())
	for i, t := range tallies {
		out[i] = r.measurement(t, org.At(i).ID)
	}
	strength := o.PriorStrength
	if strength == 0 {
		strength = DefaultPriorStrength
	}
	if strength > 0 {
		// Parents before children: smooth in order of depth.
		order := make([]int, org.Len())
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return org.Depth(a) - org.Depth(b) })
		for _, i := range order {
			p := org.ParentIndex(i)
			if p == -1 {
				continue
			}
			for s := range out[i].Stages {
				st, ps := &out[i].Stages[s], &out[p].Stages[s]
				st.Advance.Smoothed = st.Advance.shrink(ps.Advance.Smoothed, strength)
				st.Win.Smoothed = st.Win.shrink(ps.Win.Smoothed, strength)
				st.Conversion.Smoothed = st.Conversion.shrink(ps.Conversion.Smoothed, strength)
				st.Winning.Smoothed = st.Winning.shrink(ps.Winning.Smoothed, strength)
			}
		}
	}
	return out, nil
}
