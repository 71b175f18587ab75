package rollup

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Scope says whether a total holds the facts credited to a unit itself or
// to the unit and everything below it. The memory store keeps Tree series
// for units with descendants (internal units) only: a leaf's subtree is the
// leaf. Segments computes the Tree series a batch of queries asks for.
type Scope byte

const (
	Self Scope = 's' // facts credited to the unit itself
	Tree Scope = 't' // facts credited to an internal unit or any descendant
)

// Org is what rollup needs of the org tree: each unit's proper ancestors
// on a given day, nearest first, and which units have descendants, by unit
// ID. The chains are goal.Chains's (the one implementation of the rule,
// which kpi.Ledger follows too); Org maps unit IDs to them. It is
// tolerant, as stores are: a parent missing from the units ends a chain and
// a cycle is cut where it closes (the engine rejects both before storing).
type Org struct {
	chains   *goal.Chains
	internal map[string]bool // nil: the chains' own
}

// NewOrg builds an Org from units, which may be a subset of the org closed
// under parents (every parent, today's and earlier, that exists is
// included). internal lists the units with descendants; nil derives them
// from units (complete only when units is the whole org): a unit is
// internal if it is a parent on any day. An empty or duplicate ID and a
// chain deeper than goal.MaxDepth are ErrInvalid. It costs O(units ×
// depth) (see goal.NewChains).
func NewOrg(units []goal.Unit, internal map[string]bool) (*Org, error) {
	c, err := goal.NewChains(units)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", storage.ErrInvalid, err)
	}
	return &Org{chains: c, internal: internal}, nil
}

// AncestorsAt returns the unit's proper ancestors on day d, nearest first
// (nil for a unit not in the org). The slice is shared: do not modify it.
func (o *Org) AncestorsAt(unit string, d date.Date) []string {
	i, ok := o.chains.Index(unit)
	if !ok {
		return nil
	}
	return o.chains.AncestorIDs(i, d)
}

// Dated reports whether the unit's ancestors differ by day (goal.Chains.
// Dated). A store may cache the chain of an undated unit once for every
// day.
func (o *Org) Dated(unit string) bool {
	i, ok := o.chains.Index(unit)
	return ok && o.chains.Dated(i)
}

// Internal reports whether the unit has descendants.
func (o *Org) Internal(unit string) bool {
	if o.internal != nil {
		return o.internal[unit]
	}
	i, ok := o.chains.Index(unit)
	return ok && o.chains.Internal(i)
}

// Series identifies one series of totals.
type Series struct {
	Scope  Scope
	Metric string
	Unit   string
}

// Cell identifies one own bucket: the facts of one metric credited to one
// unit on one day. Stores keep own buckets only; subtree totals are summed
// from them when read (Segments.RollUp), along the org as of each day.
type Cell struct {
	Metric string
	Unit   string
	Day    date.Date
}

// Delta is a change to a bucket: the value and the share-weighted count of
// facts.
type Delta struct {
	Value decimal.Decimal
	Count decimal.Decimal
}

// Deltas accumulates own bucket changes of a batch, so each bucket is
// written once per batch.
type Deltas map[Cell]*Delta

// AddFact adds (sign +1) or removes (sign -1) a fact's parts: each credited
// unit gets its part and its share as count in its own bucket of the part's
// Day if it has one (a range fact), else of day. The parts of a fact sum to
// its value and their shares to 1, so a unit above several credited units
// counts the fact once when it sums them.
func (d Deltas) AddFact(metric string, day date.Date, parts []storage.Part, sign int) {
	for _, p := range parts {
		v, n, on := p.Value, p.Share, day
		if sign < 0 {
			v, n = v.Neg(), n.Neg()
		}
		if p.Day != 0 {
			on = p.Day // a day of a range fact
		}
		k := Cell{metric, p.Unit, on}
		if x, ok := d[k]; ok {
			x.Value = x.Value.Add(v)
			x.Count = x.Count.Add(n)
			continue
		}
		d[k] = &Delta{Value: v, Count: n}
	}
}

// Sorted returns the cells in the order of the buckets' primary key
// (metric, unit, day), so a batch's upserts walk the index in order.
func (d Deltas) Sorted() []Cell {
	keys := make([]Cell, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Cell) int {
		return cmp.Or(strings.Compare(a.Metric, b.Metric), strings.Compare(a.Unit, b.Unit), cmp.Compare(a.Day, b.Day))
	})
	return keys
}

// Bounds returns the sorted distinct starts and ends of the non-empty
// queries: consecutive bounds delimit the segments a batch is summed over.
func Bounds(qs []storage.Query) []date.Date {
	var b []date.Date
	for _, q := range qs {
		// Batches ask several metrics of one period in a row: skip the
		// pair just added before sorting.
		if q.End > q.Start && (len(b) < 2 || b[len(b)-2] != q.Start || b[len(b)-1] != q.End) {
			b = append(b, q.Start, q.End)
		}
	}
	slices.Sort(b)
	return slices.Compact(b)
}

// Segment returns i such that bounds[i] <= d < bounds[i+1], or -1 when d is
// outside [bounds[0], bounds[len-1]).
func Segment(bounds []date.Date, d date.Date) int {
	i := sort.Search(len(bounds), func(i int) bool { return bounds[i] > d }) - 1
	if i < 0 || i >= len(bounds)-1 {
		return -1
	}
	return i
}

// Segments holds per-segment totals of each series.
type Segments struct {
	bounds []date.Date
	sums   map[Series][]total
	// last is the series Add wrote last: rows come grouped by series.
	last     Series
	lastSums []total
	ups      [][]total // RollUpSeries's scratch
}

// total is a segment's value and count.
type total struct{ v, n Sum }

// NewSegments starts an empty set of per-segment totals over bounds.
func NewSegments(bounds []date.Date) *Segments {
	return &Segments{bounds: bounds, sums: make(map[Series][]total)}
}

// Add adds a value and count to segment i of series s.
func (s *Segments) Add(series Series, i int, v, n Sum) {
	if s.lastSums == nil || series != s.last {
		s.last, s.lastSums = series, s.series(series)
	}
	t := s.lastSums
	t[i].v.AddSum(v)
	t[i].n.AddSum(n)
}

// series returns the totals of a series, starting them at zero.
func (s *Segments) series(series Series) []total {
	t := s.sums[series]
	if t == nil {
		t = make([]total, len(s.bounds)-1)
		s.sums[series] = t
	}
	return t
}

// RollUp adds the own (Self) totals of every unit to the subtree (Tree)
// totals of each unit in subtrees that is the unit itself or one of its
// ancestors on the segment's first day. The org must not change within a
// segment: cut the bounds at every day a parent changes.
func (s *Segments) RollUp(o *Org, subtrees map[string]bool) {
	var owns []Series
	for series := range s.sums {
		if series.Scope == Self {
			owns = append(owns, series)
		}
	}
	for _, series := range owns {
		s.RollUpSeries(o, subtrees, series)
	}
}

// RollUpSeries is RollUp for one own series, whose totals must be
// complete: a store that reads each series whole (its rows grouped by
// series) rolls each up as it arrives, while the database sends the next,
// instead of calling RollUp at the end. Rolling a series up twice counts
// it twice.
func (s *Segments) RollUpSeries(o *Org, subtrees map[string]bool, series Series) {
	unit, metric := series.Unit, series.Metric
	u, known := o.chains.Index(unit)
	var chain []string // the ancestors ups was resolved for
	ups := s.ups[:0]   // the Tree totals the own totals go to
	for i, t := range s.sums[series] {
		// Undated chains are one slice for every day: resolve once.
		var anc []string
		if known {
			anc = o.chains.AncestorIDs(u, s.bounds[i])
		}
		if i == 0 || !sameSlice(anc, chain) {
			chain, ups = anc, ups[:0]
			if subtrees[unit] {
				ups = append(ups, s.series(Series{Tree, metric, unit}))
			}
			for _, a := range anc {
				if subtrees[a] {
					ups = append(ups, s.series(Series{Tree, metric, a}))
				}
			}
		}
		for _, up := range ups {
			up[i].v.AddSum(t.v)
			up[i].n.AddSum(t.n)
		}
	}
	s.ups = ups
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// Answer returns the total of each query from the segment totals: the Tree
// series of its unit for a subtree query (see RollUp), else the Self one.
func (s *Segments) Answer(qs []storage.Query) []storage.Total {
	out := make([]storage.Total, len(qs))
	for k, q := range qs {
		out[k] = storage.Total{Value: decimal.Zero, Count: decimal.Zero}
		if q.End <= q.Start {
			continue
		}
		scope := Self
		if q.Subtree {
			scope = Tree
		}
		t := s.sums[Series{scope, q.Metric, q.Unit}]
		if t == nil {
			continue
		}
		lo, _ := slices.BinarySearch(s.bounds, q.Start)
		hi, _ := slices.BinarySearch(s.bounds, q.End)
		var v, n Sum
		for i := lo; i < hi; i++ {
			v.AddSum(t[i].v)
			n.AddSum(t[i].n)
		}
		out[k] = storage.Total{Value: v.Decimal(), Count: n.Decimal()}
	}
	return out
}
