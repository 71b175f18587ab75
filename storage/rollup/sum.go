package rollup

import (
	"github.com/goalkit/goalkit/storage/internal/exact"
	"github.com/shopspring/decimal"
)

// Sum is an exact running sum of decimals that adds without big.Int while
// it can: its coefficient at an exponent while both fit in int64, the
// decimal once a coefficient or a rescale would not. Its zero value is
// zero, and it gives exactly what decimal.Zero.Add(x).Add(y)… gives,
// exponent included (the smallest exponent added, at most 0).
type Sum struct {
	c   int64
	e   int32
	big *decimal.Decimal // the sum, once it left int64
}

// SumOf returns the sum holding c × 10^e.
func SumOf(c int64, e int32) Sum { return Sum{c: c, e: e} }

// Term returns the sum holding x alone, at x's own exponent (a store
// adds it to a bucket kept at a common exponent; see Int64).
func Term(x decimal.Decimal) Sum {
	if x.NumDigits() <= 18 {
		return Sum{c: x.CoefficientInt64(), e: x.Exponent()}
	}
	return Sum{big: &x}
}

// Int64 returns the sum as c × 10^e while its coefficient is an int64;
// ok is false once it left int64 (then use Decimal).
func (s Sum) Int64() (c int64, e int32, ok bool) { return s.c, s.e, s.big == nil }

// Neg returns −s.
func (s Sum) Neg() Sum {
	if s.big != nil {
		d := s.big.Neg()
		return Sum{big: &d}
	}
	return Sum{c: -s.c, e: s.e}
}

// Add adds x.
func (s *Sum) Add(x decimal.Decimal) {
	if s.big == nil && x.NumDigits() <= 18 && s.addExact(x.CoefficientInt64(), x.Exponent()) {
		return
	}
	d := s.Decimal().Add(x)
	s.big = &d
}

// AddSum adds another sum.
func (s *Sum) AddSum(x Sum) {
	if x.big == nil {
		if x.c == 0 && x.e == 0 {
			return // zero at exponent 0 changes nothing
		}
		if s.big == nil && s.addExact(x.c, x.e) {
			return
		}
	}
	d := s.Decimal().Add(x.Decimal())
	s.big = &d
}

// addExact adds c × 10^e in int64, or reports false (and changes nothing)
// when a rescale or the sum would overflow.
func (s *Sum) addExact(c int64, e int32) bool {
	sc, se := s.c, s.e
	switch {
	case e < se:
		var ok bool
		if sc, ok = exact.Scale(sc, se-e); !ok {
			return false
		}
		se = e
	case e > se:
		var ok bool
		if c, ok = exact.Scale(c, e-se); !ok {
			return false
		}
	}
	r, ok := exact.Add(sc, c)
	if !ok {
		return false
	}
	s.c, s.e = r, se
	return true
}

// Decimal returns the sum.
func (s Sum) Decimal() decimal.Decimal {
	if s.big != nil {
		return *s.big
	}
	return decimal.New(s.c, s.e)
}
