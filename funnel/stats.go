package funnel

import (
	"math"
	"slices"

	"github.com/shopspring/decimal"
)

// RatePlaces is the number of decimal places of every rate this package
// computes (conversion rates, win probabilities, interval bounds, smoothed
// rates): 6, i.e. a ten-thousandth of a percent. Rates are decimals so that a
// host's 0.3 is exactly 0.3 and the reverse funnel's rounding guarantee holds
// exactly for the rates it reports.
const RatePlaces = 6

// AvgPlaces is the number of decimal places of an average won value. The
// exact sum and count it is computed from are reported next to it.
const AvgPlaces = 4

// DefaultPriorStrength is the weight, in pseudo-deals, that MeasureByUnit
// gives the parent unit's rate when it smooths a unit's rate: a rep with 20
// resolved deals lands half-way between his own rate and his team's.
const DefaultPriorStrength = 20

// z95 is the standard normal quantile for a two-sided 95% interval.
const z95 = 1.959963984540054

// Ratio is a measured proportion: Hits out of Trials. Trials counts only
// resolved deals; deals whose fate is unknown as of the measurement date are
// reported elsewhere and are not trials.
type Ratio struct {
	Hits   int
	Trials int
	// Rate is Hits ÷ Trials rounded half-even to RatePlaces; zero when
	// Trials is zero (check Trials: a zero Rate from no trials means "not
	// measured", not "never converts").
	Rate decimal.Decimal
	// Low and High bound the Wilson score interval at 95% confidence: wide
	// for small samples, [0, 1] for no sample at all.
	Low, High decimal.Decimal
	// Smoothed is the rate shrunk toward the parent unit's smoothed rate,
	// (Hits + m·parent) ÷ (Trials + m) with m the prior strength, so that a
	// rep with few deals borrows his team's rate. Outside MeasureByUnit, and
	// for a root unit, it equals Rate.
	Smoothed decimal.Decimal
}

// newRatio builds a Ratio with its Wilson interval; Smoothed starts as Rate.
func newRatio(hits, trials int) Ratio {
	r := Ratio{Hits: hits, Trials: trials, Rate: decimal.Zero, Low: decimal.Zero, High: decimal.NewFromInt(1)}
	if trials > 0 {
		r.Rate = decimal.NewFromInt(int64(hits)).DivRound(decimal.NewFromInt(int64(trials)), RatePlaces)
		lo, hi := wilson(hits, trials)
		r.Low, r.High = toRate(lo), toRate(hi)
	}
	r.Smoothed = r.Rate
	return r
}

// shrink returns (Hits + m·prior) ÷ (Trials + m) to RatePlaces; m > 0.
func (r Ratio) shrink(prior decimal.Decimal, m float64) decimal.Decimal {
	md := decimal.NewFromFloat(m)
	num := decimal.NewFromInt(int64(r.Hits)).Add(md.Mul(prior))
	return num.DivRound(decimal.NewFromInt(int64(r.Trials)).Add(md), RatePlaces)
}

// wilson returns the Wilson score interval for hits of n at 95%. The
// explicit float64 conversions round every product, which stops the compiler
// from fusing multiply-adds on some architectures, so every platform gets
// the same bits.
func wilson(hits, n int) (lo, hi float64) {
	p := float64(hits) / float64(n)
	nf := float64(n)
	z2 := float64(z95 * z95)
	den := 1 + z2/nf
	center := (p + z2/float64(2*nf)) / den
	v := float64(p*(1-p))/nf + z2/float64(4*float64(nf*nf))
	half := float64(z95/den) * math.Sqrt(v)
	return max(0, center-half), min(1, center+half)
}

// toRate converts a probability in [0, 1] to a decimal with RatePlaces.
func toRate(x float64) decimal.Decimal {
	return decimal.NewFromFloat(x).Round(RatePlaces)
}

// Durations summarises the whole days deals took to leave a stage forward.
// Percentiles use the nearest-rank method, so each is a duration some deal
// actually had; all are zero when N is zero.
type Durations struct {
	N      int // number of deals measured
	Median int // 50th percentile, in days
	P90    int // 90th percentile, in days
}

// durationsOf sorts days in place and summarises them.
func durationsOf(days []int) Durations {
	if len(days) == 0 {
		return Durations{}
	}
	slices.Sort(days)
	return Durations{N: len(days), Median: nearestRank(days, 50), P90: nearestRank(days, 90)}
}

// nearestRank returns the pct-th percentile of the sorted, non-empty xs: the
// element at rank ceil(pct/100 · n).
func nearestRank(xs []int, pct int) int {
	rank := (pct*len(xs) + 99) / 100
	return xs[max(rank, 1)-1]
}
