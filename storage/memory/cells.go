package memory

import (
	"math"

	"github.com/goalkit/goalkit/storage/internal/exact"
	"github.com/goalkit/goalkit/storage/rollup"

	"github.com/shopspring/decimal"
)

// cells are the days of a series: per day the value and the share-weighted
// count, side by side (one cache line a write, as in the kpi ledger), as
// int64 multiples of 10^vexp and 10^cexp while every day fits, as decimals
// once one does not. They are never rounded. Each exponent is the smallest
// of those added, so a metric whose facts have two places is kept in cents.
//
// The running totals of the exact days (pre, see prefix) are allocated with
// them, so the first query after a load allocates nothing; bound is at
// least the sum of the magnitudes of everything added (saturating), so
// while it fits an int64 no running total can overflow and prefix adds
// without checking.
type cells struct {
	vexp, cexp int32
	bound      uint64
	ints       []cell    // per day while exact
	pre        []cell    // running totals of ints, as of the last prefix
	decs       []decCell // per day once a day overflowed (ints is nil)
}

type cell struct{ v, c int64 }

type decCell struct{ v, c decimal.Decimal }

// newCells returns n zero days in multiples of 10^vexp and 10^cexp.
func newCells(n int, vexp, cexp int32) cells {
	c := cells{vexp: vexp, cexp: cexp}
	c.alloc(n)
	return c
}

// blockDays is how many days a running total covers (see prefix): 8 cells
// of 16 bytes are two cache lines.
const blockDays = 8

// alloc makes n zero days and room for their running totals, in one
// allocation.
func (c *cells) alloc(n int) {
	blocks := (n + blockDays - 1) / blockDays
	buf := make([]cell, n+blocks+1)
	c.ints, c.pre = buf[:n:n], buf[n:n]
}

func (c *cells) len() int {
	if c.ints != nil {
		return len(c.ints)
	}
	return len(c.decs)
}

// addSame is add's common case, kept small: day i is in the window and v
// and n are int64s at c's exponents. It reports false, adding nothing,
// otherwise (then add does).
func (c *cells) addSame(i int, v, n rollup.Sum) bool {
	vc, ve, vInt := v.Int64()
	nc, ne, nInt := n.Int64()
	if uint(i) >= uint(len(c.ints)) || !vInt || !nInt || ve != c.vexp || ne != c.cexp {
		return false
	}
	x := &c.ints[i]
	sv, okV := exact.Add(x.v, vc)
	sc, okC := exact.Add(x.c, nc)
	if !okV || !okC {
		return false
	}
	x.v, x.c = sv, sc
	c.bound = satAdd(satAdd(c.bound, uabs(vc)), uabs(nc))
	return true
}

// add adds v and n to day i.
func (c *cells) add(i int, v, n rollup.Sum) {
	vc, ve, vInt := v.Int64()
	nc, ne, nInt := n.Int64()
	if c.ints != nil && vInt && nInt {
		x := &c.ints[i]
		if ve >= c.vexp && ne >= c.cexp { // the common case: no rescaling
			dv, okV := exact.Scale(vc, ve-c.vexp)
			dc, okC := exact.Scale(nc, ne-c.cexp)
			sv, okV2 := exact.Add(x.v, dv)
			sc, okC2 := exact.Add(x.c, dc)
			if okV && okC && okV2 && okC2 {
				x.v, x.c = sv, sc
				c.bound = satAdd(satAdd(c.bound, uabs(dv)), uabs(dc))
				return
			}
		} else if c.rescale(min(ve, c.vexp), min(ne, c.cexp)) {
			c.add(i, v, n)
			return
		}
	}
	if c.ints != nil {
		c.toDecimals()
	}
	d := &c.decs[i]
	d.v, d.c = d.v.Add(v.Decimal()), d.c.Add(n.Decimal())
}

// rescale writes every day in multiples of 10^vexp and 10^cexp (no larger
// than the current exponents), if they all fit.
func (c *cells) rescale(vexp, cexp int32) bool {
	sv, sc := c.vexp-vexp, c.cexp-cexp
	for _, x := range c.ints {
		_, okV := exact.Scale(x.v, sv)
		_, okC := exact.Scale(x.c, sc)
		if !okV || !okC {
			return false
		}
	}
	for i, x := range c.ints {
		c.ints[i].v, _ = exact.Scale(x.v, sv)
		c.ints[i].c, _ = exact.Scale(x.c, sc)
	}
	c.vexp, c.cexp = vexp, cexp
	c.bound = math.MaxUint64 // unknown at the new scale: prefix checks
	return true
}

// uabs returns |x|.
func uabs(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// satAdd returns x + y, or the largest uint64 when that overflows.
func satAdd(x, y uint64) uint64 {
	if s := x + y; s >= x {
		return s
	}
	return math.MaxUint64
}

func (c *cells) toDecimals() {
	c.decs = make([]decCell, len(c.ints))
	for i, x := range c.ints {
		c.decs[i] = decCell{decimal.New(x.v, c.vexp), decimal.New(x.c, c.cexp)}
	}
	c.ints, c.pre = nil, nil
}

// day returns day i's value and count.
func (c *cells) day(i int) (v, n decimal.Decimal) {
	if c.ints != nil {
		return decimal.New(c.ints[i].v, c.vexp), decimal.New(c.ints[i].c, c.cexp)
	}
	return c.decs[i].v, c.decs[i].c
}

// grow widens c to n days, the old days starting at index off.
func (c *cells) grow(n, off int) {
	if c.ints != nil {
		old := c.ints
		c.alloc(n)
		copy(c.ints[off:], old)
		return
	}
	decs := make([]decCell, n)
	for i := range decs {
		decs[i] = decCell{decimal.Zero, decimal.Zero}
	}
	copy(decs[off:], c.decs)
	c.decs = decs
}

// between returns the exact totals of days [a, b), day by day.
func (c *cells) between(a, b int) (v, n decimal.Decimal) {
	v, n = decimal.Zero, decimal.Zero
	for i := a; i < b; i++ {
		dv, dn := c.day(i)
		v, n = v.Add(dv), n.Add(dn)
	}
	return v, n
}

// prefix writes the running totals of the exact days per block into
// c.pre, as the kpi ledger keeps them: pre[k] is the total of days [0,
// k×blockDays), so a total up to any day is a block's plus fewer than
// blockDays days (total), and building them writes an eighth of the days.
// It reports false when the days are decimals or a total overflows; then
// between answers.
func (c *cells) prefix() bool {
	if c.ints == nil {
		return false
	}
	out := c.pre[:0]
	var s cell
	unchecked := c.bound <= math.MaxInt64 // no total can overflow
	for k := 0; k < len(c.ints); k += blockDays {
		out = append(out, s)
		for _, x := range c.ints[k:min(k+blockDays, len(c.ints))] {
			if unchecked {
				s.v += x.v
				s.c += x.c
				continue
			}
			v, okV := exact.Add(s.v, x.v)
			n, okC := exact.Add(s.c, x.c)
			if !okV || !okC {
				return false
			}
			s = cell{v, n}
		}
	}
	c.pre = append(out, s)
	return true
}

// total returns the total of days [0, x) from the running totals prefix
// wrote; false when it overflows.
func (c *cells) total(x int) (cell, bool) {
	k := x / blockDays
	s, days := c.pre[k], c.ints[k*blockDays:x]
	if c.bound <= math.MaxInt64 {
		for _, y := range days {
			s.v += y.v
			s.c += y.c
		}
		return s, true
	}
	for _, y := range days {
		v, okV := exact.Add(s.v, y.v)
		n, okC := exact.Add(s.c, y.c)
		if !okV || !okC {
			return cell{}, false
		}
		s = cell{v, n}
	}
	return s, true
}
