package memory

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// column is one quantity (value or share-weighted count) of a daily series:
// dense per-day int64 multiples of 10^exp, as the kpi ledger keeps minor
// units, while every day fits; decimals per day otherwise. It is never
// rounded. Its exponent is the smallest of the values added, so a metric
// whose facts have two places is kept in cents.
type column struct {
	exp  int32
	ints []int64           // per day while exact
	decs []decimal.Decimal // per day once a day overflowed (ints is nil)
}

// newColumn returns a column of n zero days in multiples of 10^exp.
func newColumn(n int, exp int32) column { return column{exp: exp, ints: make([]int64, n)} }

func (c *column) len() int {
	if c.ints != nil {
		return len(c.ints)
	}
	return len(c.decs)
}

// add adds coef × 10^exp to day i.
func (c *column) add(i int, coef int64, exp int32) {
	if c.ints != nil {
		if exp < c.exp && !c.rescale(exp) {
			c.toDecimals()
		} else if x, ok := scale(coef, exp-c.exp); !ok {
			c.toDecimals()
		} else if s, ok := addInt(c.ints[i], x); !ok {
			c.toDecimals()
		} else {
			c.ints[i] = s
			return
		}
	}
	c.decs[i] = c.decs[i].Add(decimal.New(coef, exp))
}

// addDecimal adds x to day i.
func (c *column) addDecimal(i int, x decimal.Decimal) {
	if x.NumDigits() <= 18 {
		c.add(i, x.CoefficientInt64(), x.Exponent())
		return
	}
	if c.ints != nil {
		c.toDecimals()
	}
	c.decs[i] = c.decs[i].Add(x)
}

// rescale writes every day in multiples of 10^exp (exp < c.exp), if they
// all fit.
func (c *column) rescale(exp int32) bool {
	shift := c.exp - exp
	for _, v := range c.ints {
		if _, ok := scale(v, shift); !ok {
			return false
		}
	}
	for i, v := range c.ints {
		c.ints[i], _ = scale(v, shift)
	}
	c.exp = exp
	return true
}

func (c *column) toDecimals() {
	c.decs = make([]decimal.Decimal, len(c.ints))
	for i, v := range c.ints {
		c.decs[i] = decimal.New(v, c.exp)
	}
	c.ints = nil
}

// day returns day i's total.
func (c *column) day(i int) decimal.Decimal {
	if c.ints != nil {
		return decimal.New(c.ints[i], c.exp)
	}
	return c.decs[i]
}

// grow returns c widened to n days, the old days starting at index off.
func (c *column) grow(n, off int) {
	if c.ints != nil {
		ints := make([]int64, n)
		copy(ints[off:], c.ints)
		c.ints = ints
		return
	}
	decs := make([]decimal.Decimal, n)
	copy(decs[off:], c.decs)
	c.decs = decs
}

// between returns the exact total of days [a, b).
func (c *column) between(a, b int) decimal.Decimal {
	if c.ints != nil {
		var s int64
		for i, v := range c.ints[a:b] {
			n, ok := addInt(s, v)
			if !ok {
				return decimal.New(s, c.exp).Add(c.decimalsBetween(a+i, b))
			}
			s = n
		}
		return decimal.New(s, c.exp)
	}
	return c.decimalsBetween(a, b)
}

func (c *column) decimalsBetween(a, b int) decimal.Decimal {
	s := decimal.Zero
	for i := a; i < b; i++ {
		s = s.Add(c.day(i))
	}
	return s
}

// prefix returns running totals of the exact days: out[i] is the total of
// days [0, i). ok is false when a column is in decimals or a total
// overflows; then between answers.
func (c *column) prefix(out []int64) ([]int64, bool) {
	if c.ints == nil {
		return out, false
	}
	out = append(out[:0], 0)
	var s int64
	for _, v := range c.ints {
		var ok bool
		if s, ok = addInt(s, v); !ok {
			return out, false
		}
		out = append(out, s)
	}
	return out, true
}

var pow10 = func() (t [19]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// scale returns x × 10^shift (shift ≥ 0) if it fits an int64.
func scale(x int64, shift int32) (int64, bool) {
	if shift == 0 || x == 0 {
		return x, true
	}
	if shift < 0 || shift >= int32(len(pow10)) {
		return 0, false
	}
	u := uint64(x)
	if x < 0 {
		u = -u
	}
	hi, lo := bits.Mul64(u, pow10[shift])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if x < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// addInt returns x + y if it does not overflow.
func addInt(x, y int64) (int64, bool) {
	s := x + y
	if (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0) {
		return 0, false
	}
	return s, true
}
