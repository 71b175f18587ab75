package funnel

import (
	"math"
	"slices"

	"github.com/shopspring/decimal"
)

// Estimate is a censoring-aware probability: the chance that a deal entering
// a stage reaches an event (advancing past it, or winning) within Horizon
// days, from the Aalen–Johansen estimator of the event's cumulative
// incidence. The event competes with the deal ending (lost, invalid, or
// stalled under the aging policy); a deal still open is right-censored: it
// counts as at risk for as long as it has been open and is never a failure
// nor a success. With every deal resolved it equals the plain ratio of
// events to deals.
type Estimate struct {
	// Rate is the estimated probability to RatePlaces; zero when N is zero.
	Rate decimal.Decimal
	// Low and High bound the 95% interval (delta-method variance on the
	// complementary log-log scale, so both stay within [0, 1]); [0, 1]
	// when N is zero.
	Low, High decimal.Decimal
	// Horizon is the number of days after entering the stage the estimate
	// covers: the time of the last event observed (an advance, a win, a
	// loss, or a stall under the aging policy), after which the curve is
	// flat: the estimate is the eventual conversion as far as the data can
	// tell.
	Horizon int
	// N is the number of deals in the cohort, resolved or not.
	N int
	// AtRisk is the number of deals followed for at least Horizon days:
	// small values mean the tail of the curve rests on few deals.
	AtRisk int
	// Effective is the sample size a plain ratio with the same variance
	// would have, Rate·(1−Rate) ÷ variance (N when the variance is zero).
	// MeasureByUnit weighs a unit's own rate by it when it smooths.
	Effective float64
	// Smoothed is the rate shrunk toward the parent unit's smoothed rate,
	// (Rate·Effective + m·parent) ÷ (Effective + m); outside MeasureByUnit,
	// and for a root unit, it equals Rate.
	Smoothed decimal.Decimal
}

// CurvePoint is the cumulative incidence curve at one event time: of the deals
// that entered the stage, the estimated share that reached the event (Event)
// and the share that ended otherwise (Ended) within Days days; the rest is
// still open. AtRisk deals were followed for at least Days days.
type CurvePoint struct {
	Days   int
	Event  decimal.Decimal
	Ended  decimal.Decimal
	AtRisk int
}

// outcome of one deal for one estimate.
type outcome uint8

const (
	censored outcome = iota // still open at days
	event                   // reached the event at days
	ended                   // lost, invalid or stalled at days
)

// obs is one deal's observation: what happened, and how many days after it
// entered the stage.
type obs struct {
	days int
	what outcome
}

// key packs an observation into an integer that sorts by days, then outcome.
func (o obs) key() int64 { return int64(o.days)<<2 | int64(o.what) }

// step is the estimator's state at one event time.
type step struct {
	days          int
	atRisk        int
	events, ended int
	before        float64 // probability of being open just before days
	f1, f2        float64 // cumulative incidences of the event and of ending, through days
}

// incidence is the Aalen–Johansen estimate over a set of observations.
type incidence struct {
	n     int
	keys  []int64 // every observation's key, sorted
	steps []step
}

// estimateIncidence computes the cumulative incidence of the event with
// ending as a competing outcome and open deals censored, from the
// observations' keys (obs.key), which it sorts in place: sorting packed
// integers is several times faster than sorting structs. Censoring at a day
// happens after the events of that day.
func estimateIncidence(keys []int64) incidence {
	slices.Sort(keys)
	inc := incidence{n: len(keys), keys: keys}
	s, f1, f2 := 1.0, 0.0, 0.0
	atRisk := len(keys)
	for i := 0; i < len(keys); {
		day := keys[i] >> 2
		j, ev, en := i, 0, 0
		for ; j < len(keys) && keys[j]>>2 == day; j++ {
			switch outcome(keys[j] & 3) {
			case event:
				ev++
			case ended:
				en++
			}
		}
		if ev+en > 0 {
			n := float64(atRisk)
			f1 += s * float64(ev) / n
			f2 += s * float64(en) / n
			inc.steps = append(inc.steps, step{days: int(day), atRisk: atRisk, events: ev, ended: en, before: s, f1: f1, f2: f2})
			s *= 1 - float64(ev+en)/n
		}
		atRisk -= j - i
		i = j
	}
	return inc
}

// at returns the cumulative incidence of the event through days and the
// index of the last step included (-1 before the first).
func (inc incidence) at(days int) (float64, int) {
	k := -1
	for k+1 < len(inc.steps) && inc.steps[k+1].days <= days {
		k++
	}
	if k < 0 {
		return 0, -1
	}
	return inc.steps[k].f1, k
}

// lastEvent returns the day of the last event, 0 with none.
func (inc incidence) lastEvent() int {
	if len(inc.steps) == 0 {
		return 0
	}
	return inc.steps[len(inc.steps)-1].days
}

// variance returns the delta-method variance of the event's cumulative
// incidence through step k (Marubini & Valsecchi; it reduces to Greenwood's
// formula when nothing competes).
func (inc incidence) variance(k int) float64 {
	if k < 0 {
		return 0
	}
	f := inc.steps[k].f1
	v := 0.0
	for _, st := range inc.steps[:k+1] {
		n, d, d1 := float64(st.atRisk), float64(st.events+st.ended), float64(st.events)
		gap := f - st.f1
		if n > d {
			v += gap * gap * d / (n * (n - d))
		}
		v += st.before * st.before * d1 * (n - d1) / (n * n * n)
		v -= 2 * gap * st.before * d1 / (n * n)
	}
	return max(v, 0)
}

// estimate returns the Estimate through horizon days.
func (inc incidence) estimate(horizon int) Estimate {
	e := Estimate{Rate: decimal.Zero, Low: decimal.Zero, High: decimal.NewFromInt(1), Horizon: horizon, N: inc.n, Effective: float64(inc.n)}
	if inc.n == 0 {
		e.Smoothed = e.Rate
		return e
	}
	f, k := inc.at(horizon)
	e.AtRisk = inc.atRiskAfter(horizon)
	v := inc.variance(k)
	if v > 0 {
		e.Effective = roundEffective(f * (1 - f) / v)
	}
	lo, hi := cloglogInterval(f, v, inc.n)
	e.Rate, e.Low, e.High = toRate(f), toRate(lo), toRate(hi)
	e.Smoothed = e.Rate
	return e
}

// atRiskAfter returns how many observations last at least days days.
func (inc incidence) atRiskAfter(days int) int {
	i, _ := slices.BinarySearch(inc.keys, obs{days: days}.key())
	return inc.n - i
}

// cloglogInterval returns a 95% interval for the probability f with variance
// v from n deals, on the complementary log-log scale. At f = 0 or 1, where
// that scale breaks down, it gives the exact binomial bound for n deals.
func cloglogInterval(f, v float64, n int) (lo, hi float64) {
	tail := math.Pow(0.025, 1/float64(n))
	switch {
	case f <= 0:
		return 0, 1 - tail
	case f >= 1:
		return tail, 1
	case v <= 0:
		return f, f
	}
	lf := math.Log(f)
	se := math.Sqrt(v) / (f * math.Abs(lf))
	lo = math.Pow(f, math.Exp(float64(z95*se)))
	hi = math.Pow(f, math.Exp(float64(-z95*se)))
	return lo, hi
}

// curve returns the event's cumulative incidence at every event time.
func (inc incidence) curve() []CurvePoint {
	out := make([]CurvePoint, len(inc.steps))
	for i, st := range inc.steps {
		out[i] = CurvePoint{Days: st.days, Event: fastRate(st.f1), Ended: fastRate(st.f2), AtRisk: st.atRisk}
	}
	return out
}

// shrink returns (Rate·Effective + m·prior) ÷ (Effective + m) to
// RatePlaces; m > 0.
func (e Estimate) shrink(prior decimal.Decimal, m float64) decimal.Decimal {
	neff := decimal.NewFromFloat(e.Effective)
	md := decimal.NewFromFloat(m)
	return e.Rate.Mul(neff).Add(md.Mul(prior)).DivRound(neff.Add(md), RatePlaces)
}

// Lag is one point of a lag distribution: Weight is the share of the deals
// that reach the event Days days after entering the stage (measured lags
// give it in parts of a million).
type Lag struct {
	Days   int
	Weight int64
}

// lagScale is the sum of the weights of a measured lag distribution.
const lagScale = 1_000_000

// lags returns the distribution of the days to the event among deals that
// reach it, censoring-aware: the increments of the event's cumulative
// incidence, in parts of lagScale (each at least 1, so they sum to about
// lagScale). It is empty when no event was observed.
func (inc incidence) lags() []Lag {
	if len(inc.steps) == 0 || inc.steps[len(inc.steps)-1].f1 <= 0 {
		return nil
	}
	total := inc.steps[len(inc.steps)-1].f1
	var out []Lag
	prev := 0.0
	for _, st := range inc.steps {
		if st.events > 0 {
			out = append(out, Lag{Days: st.days, Weight: max(1, int64(math.Round((st.f1-prev)/total*lagScale)))})
		}
		prev = st.f1
	}
	return out
}

// fastRate rounds a probability in [0, 1] to RatePlaces without going
// through its shortest decimal form, as toRate does: a curve has a point per
// event day, and toRate's formatting dominated the cost of measuring.
func fastRate(x float64) decimal.Decimal {
	return decimal.New(int64(math.Round(x*math.Pow10(RatePlaces))), -RatePlaces)
}
