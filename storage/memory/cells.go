package memory

import (
	"slices"

	"github.com/goalkit/goalkit/storage/internal/exact"
	"github.com/goalkit/goalkit/storage/rollup"

	"github.com/shopspring/decimal"
)

// cells are the days of a series: per day the value and the share-weighted
// count, side by side (one cache line a write, as in the kpi ledger), as
// int64 multiples of 10^vexp and 10^cexp while every day fits, as decimals
// once one does not. They are never rounded. Each exponent is the smallest
// of those added, so a metric whose facts have two places is kept in cents.
type cells struct {
	vexp, cexp int32
	ints       []cell    // per day while exact
	decs       []decCell // per day once a day overflowed (ints is nil)
}

type cell struct{ v, c int64 }

type decCell struct{ v, c decimal.Decimal }

// newCells returns n zero days in multiples of 10^vexp and 10^cexp.
func newCells(n int, vexp, cexp int32) cells {
	return cells{vexp: vexp, cexp: cexp, ints: make([]cell, n)}
}

func (c *cells) len() int {
	if c.ints != nil {
		return len(c.ints)
	}
	return len(c.decs)
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
	return true
}

func (c *cells) toDecimals() {
	c.decs = make([]decCell, len(c.ints))
	for i, x := range c.ints {
		c.decs[i] = decCell{decimal.New(x.v, c.vexp), decimal.New(x.c, c.cexp)}
	}
	c.ints = nil
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
		ints := make([]cell, n)
		copy(ints[off:], c.ints)
		c.ints = ints
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

// prefix returns the running totals of the exact days: out[i] is the total
// of days [0, i). ok is false when the days are decimals or a total
// overflows; then between answers.
func (c *cells) prefix(out []cell) ([]cell, bool) {
	if c.ints == nil {
		return out, false
	}
	out = append(slices.Grow(out[:0], len(c.ints)+1), cell{})
	var s cell
	for _, x := range c.ints {
		v, okV := exact.Add(s.v, x.v)
		n, okC := exact.Add(s.c, x.c)
		if !okV || !okC {
			return out, false
		}
		s = cell{v, n}
		out = append(out, s)
	}
	return out, true
}
