package kpi

import (
	"math"
	"math/bits"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// checkConversion checks f.Converted against the metric: a 3-letter
// currency other than the metric's, a positive rate, and Value equal to
// Amount × Rate rounded half to even to the metric's places.
func checkConversion(f *Fact, m *goal.Metric) *FactError {
	c := f.Converted
	if c == nil {
		return nil
	}
	switch {
	case m.Kind != goal.Amount:
		return factErr(ErrInvalid, f.Key, "Converted", "metric %q is a %s; only amounts are converted", m.Key, m.Kind)
	case len(c.Currency) != 3 || c.Currency == m.Currency:
		return factErr(ErrInvalid, f.Key, "Converted", "the original currency %q must be a 3-letter ISO 4217 code other than the metric's %s", goal.Excerpt(c.Currency), m.Currency)
	case goal.CheckDecimal("amount", c.Amount) != nil || goal.CheckDecimal("rate", c.Rate) != nil || c.Rate.Sign() <= 0:
		return factErr(ErrInvalid, f.Key, "Converted", "amount %s and rate %s must be decimals, the rate positive", goal.ShowDecimal(c.Amount), goal.ShowDecimal(c.Rate))
	}
	if v, ok := convertMinor(c.Amount, c.Rate, m.Places); ok {
		if got, fitsPlaces, fits := toMinor(f.Value, m.Places); fitsPlaces && fits && got == v {
			return nil // the common case, without allocating
		}
	}
	if want := Convert(c.Amount, c.Rate, m.Places); !want.Equal(f.Value) {
		return factErr(ErrInvalid, f.Key, "Converted", "value %s is not %s × %s = %s (half to even, %d places); let the Engine convert the fact", goal.ShowDecimal(f.Value), goal.ShowDecimal(c.Amount), goal.ShowDecimal(c.Rate), want.StringFixed(m.Places), m.Places)
	}
	return nil
}

// Convert converts amount at rate into a metric with places decimal
// places: amount × rate, rounded half to even (banker's rounding, so
// rounding errors do not drift one way over many facts).
func Convert(amount, rate decimal.Decimal, places int32) decimal.Decimal {
	if v, ok := convertMinor(amount, rate, places); ok {
		return fromMinor(v, places)
	}
	return amount.Mul(rate).RoundBank(places)
}

// convertMinor is Convert in 128-bit integers, in minor units, for
// coefficients of up to 18 digits whose result fits int64 minor units; ok
// is false otherwise. Its result is RoundBank's (a property test holds
// them together).
func convertMinor(amount, rate decimal.Decimal, places int32) (int64, bool) {
	if amount.NumDigits() > 18 || rate.NumDigits() > 18 {
		return 0, false
	}
	a, r := amount.CoefficientInt64(), rate.CoefficientInt64()
	hi, lo := bits.Mul64(uabs(a), uabs(r))
	// a·r·10^(ea+er) in units of 10^-places is a·r·10^shift.
	shift := int64(amount.Exponent()) + int64(rate.Exponent()) + int64(places)
	var q uint64
	switch {
	case shift >= 0 && shift <= 18:
		h, l := bits.Mul64(lo, uint64(pow10[shift]))
		if hi != 0 || h != 0 {
			return 0, false
		}
		q = l
	case shift < 0 && shift >= -18:
		p := uint64(pow10[-shift])
		if hi >= p {
			return 0, false
		}
		var rem uint64
		q, rem = bits.Div64(hi, lo, p)
		if rem > p-rem || (rem == p-rem && q&1 == 1) { // above half, or a tie to an odd quotient
			q++
		}
	default:
		return 0, false
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	v := int64(q)
	if (a < 0) != (r < 0) {
		v = -v
	}
	return v, true
}
