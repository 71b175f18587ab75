package memory

import (
	"sync"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/internal/exact"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The daily totals, kept as the kpi ledger keeps them: per (metric, unit)
// a dense series of per-day int64 sums (see column), one for the facts
// credited to the unit itself and, for units with sub-units, one for its
// subtree. A leaf's subtree is the leaf, so its own series answers both
// kinds of query and a fact credited to a rep writes one series fewer.

// maxWindow bounds the days a series keeps densely (about 45 years); the
// rare days outside a series' window are kept apart, in far.
const maxWindow = 1 << 14

// firstWindow is a new series' window: the calendar year of its first day.
const firstWindow = 366

// times returns q × sign (±1).
func times(q rollup.Sum, sign int64) rollup.Sum {
	if sign > 0 {
		return q
	}
	return q.Neg()
}

// series is one daily series: value and share-weighted count per day over
// a dense window starting at lo, and prefix sums rebuilt lazily by the
// first query after a change.
//
// What a write touches (lo, dirty and the days' exponents, bound and ints)
// comes first and a series is 128 bytes, so a write reads one cache line of
// it.
type series struct {
	lo    date.Date
	dirty bool // days.pre is stale
	exact bool // days.pre holds the running totals (cells.prefix)
	days  cells
	far   map[date.Date]*decCell // days outside the window
	_     [16]byte
}

func (s *series) add(d date.Date, v, n rollup.Sum) {
	s.dirty = true
	if s.days.addSame(int(d-s.lo), v, n) {
		return
	}
	i, ok := s.index(d, v, n)
	if ok {
		s.days.add(i, v, n)
		return
	}
	f := s.far[d]
	if f == nil {
		if s.far == nil {
			s.far = map[date.Date]*decCell{}
		}
		f = &decCell{decimal.Zero, decimal.Zero}
		s.far[d] = f
	}
	f.v, f.c = f.v.Add(v.Decimal()), f.c.Add(n.Decimal())
}

// index returns d's index in the window, widening the window (by doubling,
// up to maxWindow days) to hold it; false when it cannot.
func (s *series) index(d date.Date, v, n rollup.Sum) (int, bool) {
	size := s.days.len()
	if size == 0 {
		_, ve, _ := v.Int64()
		_, ne, _ := n.Int64()
		s.lo = d - date.Date(d.YearDay()-1) // the calendar year of d
		s.days = newCells(firstWindow, ve, ne)
		return int(d - s.lo), true
	}
	hi := s.lo + date.Date(size)
	if d >= s.lo && d < hi {
		return int(d - s.lo), true
	}
	need := max(hi, d+1) - min(s.lo, d)
	if need > maxWindow {
		return 0, false
	}
	for date.Date(size) < need {
		size *= 2
	}
	size = min(size, maxWindow)
	lo := s.lo
	if d < lo {
		lo = hi - date.Date(size)
	}
	s.days.grow(size, int(s.lo-lo))
	s.lo = lo
	return int(d - lo), true
}

// sum returns the total value and count over [a, b).
func (s *series) sum(a, b date.Date) (v, n decimal.Decimal) {
	v, n = decimal.Zero, decimal.Zero
	if size := date.Date(s.days.len()); size > 0 {
		i := int(min(max(a, s.lo), s.lo+size) - s.lo)
		j := int(min(max(b, s.lo), s.lo+size) - s.lo)
		if s.dirty {
			s.exact = s.days.prefix()
			s.dirty = false
		}
		var x, y cell
		ok := s.exact
		if ok {
			x, ok = s.days.total(j)
		}
		if ok {
			y, ok = s.days.total(i)
		}
		if ok {
			v = diff(x.v, y.v, s.days.vexp)
			n = diff(x.c, y.c, s.days.cexp)
		} else if i < j {
			v, n = s.days.between(i, j)
		}
	}
	for d, f := range s.far {
		if d >= a && d < b {
			v, n = v.Add(f.v), n.Add(f.c)
		}
	}
	return v, n
}

// diff returns (x − y) × 10^exp.
func diff(x, y int64, exp int32) decimal.Decimal {
	if d, ok := exact.Add(x, -y); ok {
		return decimal.New(d, exp)
	}
	return decimal.New(x, exp).Sub(decimal.New(y, exp))
}

// days calls fn with every day of s that holds something, with its value
// and count.
func (s *series) eachDay(fn func(d date.Date, v, n decimal.Decimal)) {
	for i := range s.days.len() {
		if v, n := s.days.day(i); !v.IsZero() || !n.IsZero() {
			fn(s.lo+date.Date(i), v, n)
		}
	}
	for d, f := range s.far {
		fn(d, f.v, f.c)
	}
}

// totals holds a tenant's series: own[metric][unit] for the facts credited
// to a unit itself, tree[metric][unit] for its subtree (units with
// sub-units only). Writes hold the store's lock exclusively; queries share
// it and take mu, once a batch, since any of them may rebuild prefix sums
// (per query, locking was a tenth of a first Q1 pass).
type totals struct {
	mu        sync.Mutex
	own, tree [][]series // by value, so finding a day's cell is one memory read fewer
	sink      int64      // keeps peek's reads alive
	ahead     []*cell    // the cells a block of facts will write (see peek)
}

// at returns the series at [m][u] of t, making room for it when create is
// set (nil otherwise if there is none). The pointer is good until the next
// call that creates.
func at(t *[][]series, m, u int32, create bool) *series {
	if int(m) >= len(*t) {
		if !create {
			return nil
		}
		*t = append(*t, make([][]series, int(m)+1-len(*t))...)
	}
	row := &(*t)[m]
	if int(u) >= len(*row) {
		if !create {
			return nil
		}
		*row = append(*row, make([]series, int(u)+1-len(*row))...)
	}
	return &(*row)[u]
}

// roll adds v and n, credited to unit u on day d for metric m, to u's own
// series and, through o, to the subtree series of u (if it has sub-units)
// and of every unit above it on that day; own false skips u's own series.
func (t *totals) roll(o *orgIndex, m, u int32, d date.Date, v, n rollup.Sum, own bool) {
	if own {
		at(&t.own, m, u, true).add(d, v, n)
	}
	if o.internal(u) {
		at(&t.tree, m, u, true).add(d, v, n)
	}
	for _, a := range o.Ancestors(u, d) {
		at(&t.tree, m, a, true).add(d, v, n)
	}
}

// cells appends to ahead the cells roll will write for a part credited to
// u on day d (those that exist: u's own series and its ancestors' subtree
// series; not u's subtree series, whose line is near its own in time).
func (t *totals) cells(ahead []*cell, o *orgIndex, m, u int32, d date.Date) []*cell {
	ahead = appendCell(ahead, at(&t.own, m, u, false), d)
	for _, a := range o.Ancestors(u, d) {
		ahead = appendCell(ahead, at(&t.tree, m, a, false), d)
	}
	return ahead
}

func appendCell(ahead []*cell, s *series, d date.Date) []*cell {
	if s != nil {
		if i := int(d - s.lo); i >= 0 && i < len(s.days.ints) {
			ahead = append(ahead, &s.days.ints[i])
		}
	}
	return ahead
}

// peek reads the cells in ahead: their addresses known first, the reads
// are independent, so the CPU has many of them in flight and a batch's
// writes then find them in cache.
func (t *totals) peek() {
	var x int64
	for _, c := range t.ahead {
		x += c.v
	}
	t.sink += x
	clear(t.ahead) // hold no cells past the block
}

// moveSubtree carries, for every metric, each day of the subtree totals of
// unit root (its subtree series if internal, else its own) from the
// ancestors it had on that day under from to those it has under to, times
// sign: an org edit that moves root to another parent, effective from a
// day (days whose ancestors did not change net to nothing). Units on both
// chains keep their totals. With sign −1 it undoes the move.
func (t *totals) moveSubtree(root int32, internal bool, from, to kpi.Ancestry, sign int64) {
	for m := range max(len(t.own), len(t.tree)) {
		var days []date.Date
		var vs, ns []decimal.Decimal
		src := at(&t.own, int32(m), root, false)
		if internal {
			src = at(&t.tree, int32(m), root, false)
		}
		if src == nil {
			continue
		}
		src.eachDay(func(d date.Date, v, n decimal.Decimal) {
			days, vs, ns = append(days, d), append(vs, v), append(ns, n)
		})
		for i, d := range days { // src is not used past here: at may move it
			old, now := from.Ancestors(root, d), to.Ancestors(root, d)
			v, n := rollup.Term(vs[i]), rollup.Term(ns[i])
			for _, a := range old {
				if !contains(now, a) {
					at(&t.tree, int32(m), a, true).add(d, times(v, -sign), times(n, -sign))
				}
			}
			for _, a := range now {
				if !contains(old, a) {
					at(&t.tree, int32(m), a, true).add(d, times(v, sign), times(n, sign))
				}
			}
		}
	}
}

// promote copies, for every metric, unit u's own series into its subtree
// series (times sign): u has sub-units for the first time, and its subtree
// so far is itself.
func (t *totals) promote(u int32, sign int64) {
	for m := range t.own {
		src := at(&t.own, int32(m), u, false)
		if src == nil {
			continue
		}
		var days []date.Date
		var vs, ns []decimal.Decimal
		src.eachDay(func(d date.Date, v, n decimal.Decimal) {
			days, vs, ns = append(days, d), append(vs, v), append(ns, n)
		})
		dst := at(&t.tree, int32(m), u, true)
		for i, d := range days {
			dst.add(d, times(rollup.Term(vs[i]), sign), times(rollup.Term(ns[i]), sign))
		}
	}
}

func contains(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// sumLocked answers one query from the series of unit u; the caller holds
// t.mu (a batch of queries takes it once).
func (t *totals) sumLocked(o *orgIndex, m, u int32, subtree bool, a, b date.Date) (v, n decimal.Decimal) {
	s := at(&t.own, m, u, false)
	if subtree && o.internal(u) {
		s = at(&t.tree, m, u, false)
	}
	if s == nil {
		return decimal.Zero, decimal.Zero
	}
	return s.sum(a, b)
}

var _ kpi.Ancestry = (*orgIndex)(nil)
