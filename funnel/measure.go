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
}

func (o MeasureOptions) validate() error {
	if o.AsOf == 0 {
		return invalid("as-of date", "", "set MeasureOptions.AsOf; the package never reads the clock")
	}
	if math.IsNaN(o.PriorStrength) || math.IsInf(o.PriorStrength, 0) {
		return invalid("prior strength", fmt.Sprint(o.PriorStrength), "give a finite number of pseudo-deals, 0 for the default or a negative number for no smoothing")
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
}

// tally accumulates the counts of one measurement.
type tally struct {
	deals    int
	stages   []stageTally
	won      int
	wonValue decimal.Decimal
}

type stageTally struct {
	entered, skipped, advanced, lost, invalid, openHere, openLater, won int
	days                                                                []int
}

func newTally(n int) *tally {
	return &tally{stages: make([]stageTally, n), wonValue: decimal.Zero}
}

// add counts one deal's trace into t.
func (t *tally) add(f Funnel, tr *trace, value decimal.Decimal, o MeasureOptions) {
	t.deals++
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
		if !tr.direct[s] {
			st.skipped++
		}
		switch {
		case tr.reach > s:
			st.advanced++
			if tr.direct[s] {
				exit := tr.closed // won from the last stage
				if s+1 < n {
					exit = tr.entry[s+1]
				}
				st.days = append(st.days, int(exit-tr.entry[s]))
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

// measurement turns the tally into a Measurement; it sorts the duration
// samples in place.
func (t *tally) measurement(f Funnel, unit, currency string, o MeasureOptions) Measurement {
	m := Measurement{
		Funnel: f, Unit: unit, AsOf: o.AsOf, From: o.From, To: o.To, Currency: currency,
		Deals: t.deals, Stages: make([]StageMeasure, len(f.Stages)),
		Won: t.won, WonValue: t.wonValue, AvgWonValue: decimal.Zero,
	}
	if t.won > 0 {
		m.AvgWonValue = t.wonValue.DivRound(decimal.NewFromInt(int64(t.won)), AvgPlaces)
	}
	for s, st := range t.stages {
		m.Stages[s] = StageMeasure{
			Stage: f.Stages[s].Key, Entered: st.entered, Skipped: st.skipped, Advanced: st.advanced,
			Lost: st.lost, Invalid: st.invalid, OpenHere: st.openHere, OpenLater: st.openLater,
			Advance: newRatio(st.advanced, st.entered-st.openHere),
			Win:     newRatio(st.won, st.entered-st.openHere-st.openLater),
			Days:    durationsOf(st.days),
		}
	}
	return m
}

// checkDeals validates f, o and every deal, and returns the deals' common
// currency.
func checkDeals(f Funnel, deals []Deal) (string, error) {
	if err := f.Validate(); err != nil {
		return "", err
	}
	currency := ""
	for i := range deals {
		d := &deals[i]
		if err := d.Validate(f); err != nil {
			return "", err
		}
		if i == 0 {
			currency = d.Currency
		} else if d.Currency != currency {
			return "", fmt.Errorf("funnel: deal %q is in %q but deal %q is in %q; measure each currency separately: %w",
				d.ID, d.Currency, deals[0].ID, currency, ErrCurrencyMismatch)
		}
	}
	return currency, nil
}

// Measure measures funnel f over all the given deals pooled together. It
// validates the funnel, the options and every deal, and fails on the first
// problem, naming the deal. Deals with no transition on or before o.AsOf are
// not counted. Rates are not smoothed (Smoothed equals Rate).
func Measure(f Funnel, deals []Deal, o MeasureOptions) (Measurement, error) {
	if err := o.validate(); err != nil {
		return Measurement{}, err
	}
	currency, err := checkDeals(f, deals)
	if err != nil {
		return Measurement{}, err
	}
	t := newTally(len(f.Stages))
	var tr trace
	for i := range deals {
		if traceOf(f, &deals[i], o.AsOf, &tr) {
			t.add(f, &tr, deals[i].Value, o)
		}
	}
	return t.measurement(f, "", currency, o), nil
}

// MeasureByUnit measures funnel f for every unit of org: each unit's
// measurement pools the deals of the unit and all its descendants, counted
// from the deals themselves (a manager's rate is never an average of his
// reps' rates). Rates are then smoothed down the tree: a root keeps its own
// rate, and every other unit's rate is shrunk toward its parent's smoothed
// rate with o.PriorStrength pseudo-deals (see Ratio.Smoothed).
//
// The result has one Measurement per unit, in org index order (org.At(i) is
// the unit of result[i]). Every deal's Unit must be in org; a deal of an
// unknown unit fails with an error matching ErrNotFound.
func MeasureByUnit(f Funnel, deals []Deal, org *goal.Org, o MeasureOptions) ([]Measurement, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if org == nil {
		return nil, invalid("org", "", "MeasureByUnit needs an org; use Measure to pool deals without one")
	}
	currency, err := checkDeals(f, deals)
	if err != nil {
		return nil, err
	}
	tallies := make([]*tally, org.Len())
	for i := range tallies {
		tallies[i] = newTally(len(f.Stages))
	}
	var tr trace
	for i := range deals {
		d := &deals[i]
		u, ok := org.Index(d.Unit)
		if !ok {
			return nil, fmt.Errorf("funnel: deal %q is owned by unit %q, which is not in the org: %w", d.ID, d.Unit, ErrNotFound)
		}
		if !traceOf(f, d, o.AsOf, &tr) {
			continue
		}
		for ; u != -1; u = org.ParentIndex(u) {
			tallies[u].add(f, &tr, d.Value, o)
		}
	}
	out := make([]Measurement, org.Len())
	for i, t := range tallies {
		out[i] = t.measurement(f, org.At(i).ID, currency, o)
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
			}
		}
	}
	return out, nil
}
