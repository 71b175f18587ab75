package memory

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"

	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// sumCache keeps, for each daily series read since it last changed, its
// days in order with prefix sums, so a range sum is two binary searches and
// one subtraction instead of a pass over the series' days. Reads build
// entries (under the store's shared lock, hence the mutex); writes drop the
// entries of the series they touch.
type sumCache struct {
	mu sync.Mutex
	m  map[rollup.Series]*prefix
}

func newSumCache() *sumCache { return &sumCache{m: map[rollup.Series]*prefix{}} }

// any reports whether any sums are cached.
func (c *sumCache) any() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m) > 0
}

// dropSeries forgets the cached sums of series s.
func (c *sumCache) dropSeries(s rollup.Series) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, s)
}

// clear forgets every cached sum.
func (c *sumCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// get returns the prefix sums of series s, building them from days.
func (c *sumCache) get(s rollup.Series, days map[date.Date]*bucket) *prefix {
	c.mu.Lock()
	p := c.m[s]
	c.mu.Unlock()
	if p != nil {
		return p
	}
	p = newPrefix(days)
	c.mu.Lock()
	c.m[s] = p
	c.mu.Unlock()
	return p
}

// prefix holds a series' days in order and the running totals of its values
// and counts: the total of days[i:j] is at j minus at i.
type prefix struct {
	days         []date.Date
	value, count column
}

// column is a running total: exact int64 multiples of 10^exp when every
// total fits, decimals otherwise. at[i] is the total of the first i days.
type column struct {
	exp   int32
	ints  []int64
	decs  []decimal.Decimal
	exact bool
}

func newPrefix(m map[date.Date]*bucket) *prefix {
	p := &prefix{days: make([]date.Date, 0, len(m))}
	for d := range m {
		p.days = append(p.days, d)
	}
	slices.Sort(p.days)
	p.value = newColumn(p.days, m, func(d *bucket) decimal.Decimal { return d.Value() })
	p.count = newColumn(p.days, m, func(d *bucket) decimal.Decimal { return d.Count() })
	return p
}

var pow10 = func() (t [19]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

func newColumn(days []date.Date, m map[date.Date]*bucket, get func(*bucket) decimal.Decimal) column {
	c := column{exp: math.MaxInt32}
	fits := true
	for _, d := range days {
		v := get(m[d])
		if v.NumDigits() > 18 {
			fits = false
			break
		}
		c.exp = min(c.exp, v.Exponent())
	}
	if fits && len(days) > 0 {
		c.ints = make([]int64, len(days)+1)
		var sum int64
		for i, d := range days {
			v := get(m[d])
			x, ok := scale(v.CoefficientInt64(), v.Exponent()-c.exp)
			if !ok {
				fits = false
				break
			}
			s := sum + x
			if (sum >= 0) == (x >= 0) && (s >= 0) != (sum >= 0) {
				fits = false // overflow
				break
			}
			sum = s
			c.ints[i+1] = sum
		}
	}
	if fits {
		c.exact = true
		return c
	}
	c.ints, c.exp = nil, 0
	c.decs = make([]decimal.Decimal, len(days)+1)
	c.decs[0] = decimal.Zero
	for i, d := range days {
		c.decs[i+1] = c.decs[i].Add(get(m[d]))
	}
	return c
}

// scale returns x × 10^shift if it fits an int64.
func scale(x int64, shift int32) (int64, bool) {
	if shift == 0 {
		return x, true
	}
	if shift < 0 || shift >= int32(len(pow10)) {
		return 0, false
	}
	neg := x < 0
	u := uint64(x)
	if neg {
		u = -u
	}
	hi, lo := bits.Mul64(u, pow10[shift])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// between returns the total of column c over the days with indexes [i, j).
func (c *column) between(i, j int) decimal.Decimal {
	if i >= j {
		return decimal.Zero
	}
	if !c.exact {
		return c.decs[j].Sub(c.decs[i])
	}
	a, b := c.ints[j], c.ints[i]
	d := a - b
	if (a >= 0) != (b >= 0) && (d >= 0) != (a >= 0) { // overflow
		return decimal.New(a, c.exp).Sub(decimal.New(b, c.exp))
	}
	return decimal.New(d, c.exp)
}

// sum returns the total value and count over [start, end).
func (p *prefix) sum(start, end date.Date) (v, n decimal.Decimal) {
	i := sort.Search(len(p.days), func(k int) bool { return p.days[k] >= start })
	j := i + sort.Search(len(p.days)-i, func(k int) bool { return p.days[i+k] >= end })
	return p.value.between(i, j), p.count.between(i, j)
}
