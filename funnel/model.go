package funnel

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// MaxStageDays is the longest typical stage duration a Model accepts: about
// a hundred years, far beyond any real sales cycle.
const MaxStageDays = 36525

// StageModel holds the numbers the reverse and forward funnels use for one
// open stage.
type StageModel struct {
	// Advance is the fraction of deals entering the stage that reach the
	// next one (that win, for the last stage), in [0, 1].
	Advance decimal.Decimal
	// Win is the probability that a deal now in the stage is eventually won,
	// in [0, 1]; the forward funnel weights open deals by it.
	Win decimal.Decimal
	// Days is the typical number of days from entering the stage to entering
	// the next one (to winning, for the last stage); not negative.
	Days int
	// Lags, when given, is the distribution of the days from entering the
	// stage to winning, among deals that win, by Days ascending: each Lag's
	// Weight is its share
	// (the weights need not sum to anything in particular). The reverse
	// funnel spreads the stage's entries by it; empty means every deal takes
	// the typical time, the sum of Days from this stage on.
	Lags []Lag
	// Curve, when given, is the share of the deals entering the stage that
	// advanced within so many days (CurvePoint.Event, by Days ascending), as
	// Measurement.Model copies it from StageMeasure.Curve. A conversion
	// watch compares each settled cohort with it; see AdvanceWithin.
	Curve []CurvePoint
}

// AdvanceWithin returns the planned share of the deals entering the stage
// that advance within days days: the last point of Curve at or before days
// (zero before the first). It reports false when the stage has no Curve.
func (s StageModel) AdvanceWithin(days int) (decimal.Decimal, bool) {
	if len(s.Curve) == 0 {
		return decimal.Zero, false
	}
	i, _ := slices.BinarySearchFunc(s.Curve, days+1, func(p CurvePoint, d int) int { return p.Days - d })
	if i == 0 {
		return decimal.Zero, true
	}
	return s.Curve[i-1].Event, true
}

// MaxLagWeight is the largest total weight of a StageModel's Lags.
const MaxLagWeight = 1_000_000_000

// Model is what the reverse and forward funnels need to know about a
// funnel: per stage conversion, win probability and typical duration, and
// the average value of a won deal. Build one from a Measurement with
// Measurement.Model, or by hand from the host's own figures; either way it
// is a plain value the caller may edit.
type Model struct {
	Funnel Funnel
	Stages []StageModel // one per Funnel.Stages, in the same order
	// AvgWonValue is the average value of a won deal, in Currency; the
	// reverse funnel needs it positive.
	AvgWonValue decimal.Decimal
	Currency    string
}

// Validate reports whether the model is well formed: a valid funnel, one
// StageModel per stage, rates in [0, 1], durations not negative and an
// average won value not negative.
func (m Model) Validate() error {
	if err := m.Funnel.Validate(); err != nil {
		return err
	}
	if len(m.Stages) != len(m.Funnel.Stages) {
		return invalid("model", m.Funnel.Key, "it has %d stage models for %d stages; give one per stage, in order", len(m.Stages), len(m.Funnel.Stages))
	}
	for i, s := range m.Stages {
		key := m.Funnel.Stages[i].Key
		switch {
		case !isFraction(s.Advance):
			return invalid("conversion rate", s.Advance.String(), "stage %q: a rate is a fraction from 0 to 1 (0.25, not 25)", key)
		case !isFraction(s.Win):
			return invalid("win probability", s.Win.String(), "stage %q: a probability is a fraction from 0 to 1 (0.25, not 25)", key)
		case s.Days < 0 || s.Days > MaxStageDays:
			return invalid("stage duration", fmt.Sprint(s.Days), "stage %q: a duration is from 0 to %d days", key, MaxStageDays)
		}
		if err := checkLags(key, s.Lags); err != nil {
			return err
		}
		for j, p := range s.Curve {
			if p.Days < 0 || p.Days > MaxStageDays || (j > 0 && p.Days <= s.Curve[j-1].Days) || !isFraction(p.Event) || !isFraction(p.Ended) {
				return invalid("curve", fmt.Sprintf("%s #%d", key, j), "a curve's days go up from 0 to %d and its shares are fractions from 0 to 1", MaxStageDays)
			}
		}
	}
	if m.AvgWonValue.Sign() < 0 {
		return invalid("average won value", m.AvgWonValue.String(), "it cannot be negative")
	}
	return nil
}

// Model turns the measurement into a Model: each stage's smoothed
// censoring-aware conversion and win probability (StageMeasure.Conversion
// and Winning), its median duration, its conversion curve, its lag
// distribution to winning, and the average won value. A stage whose Funnel.Stages[i].Probability is set
// keeps that host-set probability instead of the measured one. A stage that
// was never measured (no deals, no durations) gets zeros; check the
// measurement's sample sizes, or edit the model, before relying on it.
func (ms Measurement) Model() Model {
	m := ms.model(func(s StageMeasure) (decimal.Decimal, decimal.Decimal, []Lag) {
		return s.Conversion.Smoothed, s.Winning.Smoothed, s.Lags
	})
	for i := range m.Stages {
		m.Stages[i].Curve = slices.Clone(ms.Stages[i].Curve)
	}
	return m
}

// ResolvedModel is Model from the resolved-only ratios (StageMeasure.Advance
// and Win) and without lag distributions: the rates a funnel whose every
// deal ends as won, lost or invalid has always had. Where deals that stop
// moving are never marked lost, it overstates every rate; use Model.
func (ms Measurement) ResolvedModel() Model {
	return ms.model(func(s StageMeasure) (decimal.Decimal, decimal.Decimal, []Lag) {
		return s.Advance.Smoothed, s.Win.Smoothed, nil
	})
}

func (ms Measurement) model(rates func(StageMeasure) (advance, win decimal.Decimal, lags []Lag)) Model {
	m := Model{Funnel: ms.Funnel, Stages: make([]StageModel, len(ms.Stages)), AvgWonValue: ms.AvgWonValue, Currency: ms.Currency}
	for i, s := range ms.Stages {
		adv, win, lags := rates(s)
		m.Stages[i] = StageModel{Advance: adv, Win: win, Days: s.Days.Median, Lags: slices.Clone(lags)}
		if i < len(ms.Funnel.Stages) && ms.Funnel.Stages[i].Probability.Valid {
			m.Stages[i].Win = ms.Funnel.Stages[i].Probability.Decimal
		}
	}
	return m
}

// checkLags validates a stage's lag distribution.
func checkLags(stage string, lags []Lag) error {
	var total int64
	for i, l := range lags {
		if i > 0 && l.Days <= lags[i-1].Days {
			return invalid("lag", fmt.Sprint(l.Days), "stage %q: list lags by days, ascending, each day once", stage)
		}
		switch {
		case l.Days < 0 || l.Days > MaxStageDays:
			return invalid("lag", fmt.Sprint(l.Days), "stage %q: a lag is from 0 to %d days", stage, MaxStageDays)
		case l.Weight <= 0 || l.Weight > MaxLagWeight:
			return invalid("lag weight", fmt.Sprint(l.Weight), "stage %q: a lag's weight is from 1 to %d", stage, int64(MaxLagWeight))
		}
		total += l.Weight
		if total > MaxLagWeight {
			return invalid("lag weight", fmt.Sprint(total), "stage %q: the weights of the lags add up to more than %d; scale them down", stage, int64(MaxLagWeight))
		}
	}
	return nil
}

// lagFrom returns the typical days from entering stage s to winning: the
// sum of Days over stages s..n-1 (0 for s = n, the won outcome).
func (m Model) lagFrom(s int) int {
	lag := 0
	for k := s; k < len(m.Stages); k++ {
		lag += m.Stages[k].Days
	}
	return lag
}

// closeLag returns the expected days from entering stage s to winning for a
// deal that has been open in it for age days: the weighted median of the
// stage's lags longer than age, or 0 (close now) when none is; without lags,
// the typical lag lagFrom(s).
func (m Model) closeLag(s, age int) int {
	lags := m.Stages[s].Lags
	if len(lags) == 0 {
		return m.lagFrom(s)
	}
	var total int64
	for _, l := range lags {
		if l.Days > age {
			total += l.Weight
		}
	}
	var run int64
	for _, l := range lags {
		if l.Days > age {
			run += l.Weight
			if 2*run >= total {
				return l.Days
			}
		}
	}
	return 0
}
