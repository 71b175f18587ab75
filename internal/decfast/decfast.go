// Package decfast computes the decimal arithmetic of every goal status and
// rule sample (kpi.Track, the alert rules) in 64- and 128-bit integers when
// the coefficients are small enough, which they are for any amount a goal
// holds. Each function gives exactly what the decimal method it names
// gives — the same value and the same representation (coefficient and
// exponent), so statuses compare equal with require.Equal as before — and
// calls that method otherwise, and for most zero results (which decimal
// represents in more than one way).
package decfast

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// DivRound returns x.DivRound(y, places); y must not be zero.
func DivRound(x, y decimal.Decimal, places int32) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if cy, ok := coefficient(y); ok {
			if q, ok := divRoundInt(cx, x.Exponent(), cy, y.Exponent(), places); ok {
				return decimal.New(q, -places)
			}
		}
	}
	return x.DivRound(y, places)
}

// MulDivRound returns x.Mul(m).DivRound(y, places); y must not be zero.
func MulDivRound(x, m, y decimal.Decimal, places int32) decimal.Decimal {
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

// MulDivRoundInts returns MulDivRound(x, decimal.NewFromInt(m),
// decimal.NewFromInt(y), places) without making the two decimals; y must
// not be zero.
func MulDivRoundInts(x decimal.Decimal, m, y int64, places int32) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if p, ok := mulInt(cx, m); ok {
			if q, ok := divRoundInt(p, x.Exponent(), y, 0, places); ok {
				return decimal.New(q, -places)
			}
		}
	}
	return x.Mul(decimal.NewFromInt(m)).DivRound(decimal.NewFromInt(y), places)
}

// MulRound returns x.Mul(m).Round(places).
func MulRound(x, m decimal.Decimal, places int32) decimal.Decimal {
	if cm, ok := coefficient(m); ok {
		if d, ok := mulRoundInt(x, cm, m.Exponent(), places); ok {
			return d
		}
	}
	return x.Mul(m).Round(places)
}

// mulRoundInt returns x × cm·10^em rounded to places, and false when it
// does not fit 18 digits or is zero.
func mulRoundInt(x decimal.Decimal, cm int64, em int32, places int32) (decimal.Decimal, bool) {
	if cx, ok := coefficient(x); ok {
		if p, ok := mulInt(cx, cm); ok {
			// Round writes a zero its own way: leave it to Round.
			if q, ok := divRoundInt(p, x.Exponent()+em, 1, 0, places); ok && q != 0 {
				return decimal.New(q, -places), true
			}
		}
	}
	return decimal.Decimal{}, false
}

// Sub returns x.Sub(y).
func Sub(x, y decimal.Decimal) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if cy, ok := coefficient(y); ok {
			if c, e, ok := addInt(cx, x.Exponent(), -cy, y.Exponent()); ok {
				return decimal.New(c, e)
			}
		}
	}
	return x.Sub(y)
}

// Add returns x.Add(y).
func Add(x, y decimal.Decimal) decimal.Decimal {
	if cx, ok := coefficient(x); ok {
		if cy, ok := coefficient(y); ok {
			if c, e, ok := addInt(cx, x.Exponent(), cy, y.Exponent()); ok {
				return decimal.New(c, e)
			}
		}
	}
	return x.Add(y)
}

// addInt returns cx·10^ex + cy·10^ey as a coefficient at the smaller
// exponent, as decimal's Add does, and false when it does not fit 18
// digits or is zero (which Add writes its own way).
func addInt(cx int64, ex int32, cy int64, ey int32) (int64, int32, bool) {
	c, e, ok := addScaled(cx, ex, cy, ey)
	return c, e, ok && c != 0
}

// addScaled is addInt with a zero sum allowed.
func addScaled(cx int64, ex int32, cy int64, ey int32) (int64, int32, bool) {
	e := min(ex, ey)
	sx, ok := scale(cx, int64(ex)-int64(e))
	if !ok {
		return 0, 0, false
	}
	sy, ok := scale(cy, int64(ey)-int64(e))
	if !ok {
		return 0, 0, false
	}
	c := sx + sy // both below 10^18 in magnitude: no overflow
	if c >= 1e18 || c <= -1e18 {
		return 0, 0, false
	}
	return c, e, true
}

// scale returns c·10^k when it has at most 18 digits; k ≥ 0.
func scale(c int64, k int64) (int64, bool) {
	if k > 18 {
		return 0, c == 0
	}
	return mulInt(c, int64(pow10u[k]))
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
// it cannot be computed exactly in 128 bits or is zero for a numerator
// that is not (decimal represents that zero differently from New(0, e)).
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
	if (q == 0 && cx != 0) || q > math.MaxInt64 {
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

// Sum adds decimals exactly: in an int64 coefficient at the smallest
// exponent seen while it fits, in a decimal once it does not. Its value is
// the sum's; its representation may differ from a chain of decimal Adds, so
// it is for sums whose value alone is used (as the weights of a pace). The
// zero Sum is empty.
type Sum struct {
	c   int64
	e   int32
	big bool
	d   decimal.Decimal
}

// Add adds x.
func (s *Sum) Add(x decimal.Decimal) {
	if !s.big {
		if cx, ok := coefficient(x); ok {
			if c, e, ok := addScaled(s.c, s.e, cx, x.Exponent()); ok {
				s.c, s.e = c, e
				return
			}
		}
		s.big, s.d = true, decimal.New(s.c, s.e)
	}
	s.d = s.d.Add(x)
}

// Decimal returns the sum.
func (s *Sum) Decimal() decimal.Decimal {
	if s.big {
		return s.d
	}
	return decimal.New(s.c, s.e)
}

// MulMarginRound returns x.Mul(1 + m).Round(places) when up, else
// x.Mul(1 − m).Round(places), without allocating the factor: the
// threshold of a tolerance (a target less 5%).
func MulMarginRound(x, m decimal.Decimal, up bool, places int32) decimal.Decimal {
	if cm, ok := coefficient(m); ok {
		if !up {
			cm = -cm
		}
		if c, e, ok := addInt(1, 0, cm, m.Exponent()); ok {
			if d, ok := mulRoundInt(x, c, e, places); ok {
				return d
			}
		}
	}
	one := decimal.New(1, 0)
	if up {
		return MulRound(x, Add(one, m), places)
	}
	return MulRound(x, Sub(one, m), places)
}
