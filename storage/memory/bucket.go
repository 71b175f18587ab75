package memory

import (
	"github.com/shopspring/decimal"
)

// bucket is one day of a series: the total value and share-weighted count
// of the facts credited to it.
type bucket struct {
	value, count num
}

// newBucket returns a bucket holding v and n.
func newBucket(v, n decimal.Decimal) *bucket {
	b := &bucket{}
	b.value.set(v, 1)
	b.count.set(n, 1)
	return b
}

// Value returns the bucket's total value.
func (b *bucket) Value() decimal.Decimal { return b.value.dec() }

// Count returns the bucket's share-weighted count of facts.
func (b *bucket) Count() decimal.Decimal { return b.count.dec() }

// num is an exact decimal kept as an int64 multiple of 10^exp while it fits,
// as a decimal otherwise; it is never rounded. Adding a decimal gives the
// same value and exponent as decimal.Add: the smaller of the two exponents.
type num struct {
	i     int64
	exp   int32
	isDec bool            // d holds the value
	d     decimal.Decimal // when isDec
}

// small returns x's coefficient and exponent if the coefficient fits in 18
// digits (so it and its negation fit an int64).
func small(x decimal.Decimal) (int64, int32, bool) {
	if x.NumDigits() > 18 {
		return 0, 0, false
	}
	return x.CoefficientInt64(), x.Exponent(), true
}

// set makes a hold sign × x.
func (a *num) set(x decimal.Decimal, sign int) {
	if c, e, ok := small(x); ok {
		if sign < 0 {
			c = -c
		}
		*a = num{i: c, exp: e}
		return
	}
	if sign < 0 {
		x = x.Neg()
	}
	*a = num{isDec: true, d: x}
}

// add adds sign × x to a.
func (a *num) add(x decimal.Decimal, sign int) {
	if !a.isDec {
		if c, e, ok := small(x); ok {
			if sign < 0 {
				c = -c
			}
			if r, exp, ok := addInts(a.i, a.exp, c, e); ok {
				a.i, a.exp = r, exp
				return
			}
		}
		a.d, a.isDec = decimal.New(a.i, a.exp), true
	}
	if sign < 0 {
		x = x.Neg()
	}
	a.d = a.d.Add(x)
}

// addInts returns x×10^ex + y×10^ey as a multiple of 10^min(ex, ey), if it
// fits an int64.
func addInts(x int64, ex int32, y int64, ey int32) (int64, int32, bool) {
	var ok bool
	switch {
	case ex > ey:
		if x, ok = scale(x, ex-ey); !ok {
			return 0, 0, false
		}
		ex = ey
	case ey > ex:
		if y, ok = scale(y, ey-ex); !ok {
			return 0, 0, false
		}
	}
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, 0, false // overflow
	}
	return s, ex, true
}

// dec returns a's value as a decimal.
func (a *num) dec() decimal.Decimal {
	if a.isDec {
		return a.d
	}
	return decimal.New(a.i, a.exp)
}

// isZero reports whether a is zero.
func (a *num) isZero() bool {
	if a.isDec {
		return a.d.IsZero()
	}
	return a.i == 0
}
