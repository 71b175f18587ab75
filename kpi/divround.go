package kpi

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Track computes several quotients per goal. These helpers give exactly what
// decimal.DivRound gives — the same value and the same representation (the
// coefficient scaled to 10^-places) — computed in 64- and 128-bit integers
// when the coefficients are small enough, which they are for any amount a
// goal holds; otherwise, and for a zero quotient, they call DivRound.

// divRound returns x.DivRound(y, places); y must not be zero.
func divRound(x, y decimal.Decimal, places int32) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if cy, ok := coefficient(y); ok {
			if q, ok := divRoundInt(cx, x.Exponent(), cy, y.Exponent(), places); ok {
				return decimal.New(q, -places)
			}
		}
	}
	return x.DivRound(y, places)
}

// mulDivRound returns x.Mul(m).DivRound(y, places); y must not be zero.
func mulDivRound(x, m, y decimal.Decimal, places int32) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if cm, ok := coefficient(m); ok {
			if cy, ok := coefficient(y); ok {
				if p, ok := mulInt(cx, cm); ok {
					if q, ok := divRoundInt(p, x.Exponent()+m.Exponent(), cy, y.Exponent(), places); ok {
						return decimal.New(q, -places)
					}
				}
			}
		}
	}
	return x.Mul(m).DivRound(y, places)
}

// coefficient returns d's coefficient when it has at most 18 digits.
func coefficient(d decimal.Decimal) (int64, bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	return d.CoefficientInt64(), true
}

// mulInt returns a × b when it fits an int64 of at most 18 digits.
func mulInt(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(abs64(a), abs64(b))
	if hi != 0 || lo >= 1e18 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

// divRoundInt returns (cx·10^ex) ÷ (cy·10^ey) rounded half away from zero
// to an integer multiple of 10^-places, as its coefficient, and false when
// it cannot be computed exactly in 128 bits or is zero (which DivRound
// represents differently).
func divRoundInt(cx int64, ex int32, cy int64, ey int32, places int32) (int64, bool) {
	if cy == 0 {
		return 0, false
	}
	e := int64(ex) - int64(ey) + int64(places)
	if e > 19 || e < -19 {
		return 0, false
	}
	ax, ay := abs64(cx), abs64(cy)
	var hi, lo uint64
	if e >= 0 {
		hi, lo = bits.Mul64(ax, pow10u[e])
	} else {
		h, l := bits.Mul64(ay, pow10u[-e])
		if h != 0 {
			return 0, false
		}
		lo, ay = ax, l
	}
	if hi >= ay {
		return 0, false // the quotient overflows 64 bits
	}
	q, r := bits.Div64(hi, lo, ay)
	if r >= ay-r { // 2r ≥ divisor: half away from zero
		q++
	}
	if q == 0 || q > math.MaxInt64 {
		return 0, false
	}
	if (cx < 0) != (cy < 0) {
		return -int64(q), true
	}
	return int64(q), true
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// pow10u[i] is 10^i.
var pow10u = [20]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
