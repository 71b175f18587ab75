// Package rollup computes the bucket deltas a fact adds to the daily totals
// and answers batches of range queries from per-segment sums. The memory
// store and the SQL store share it, so they roll up identically.
package rollup

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Scope says whether a bucket holds the facts credited to a unit itself or
// to the unit and everything below it. Only units with descendants
// (internal units) have Tree buckets: a leaf's subtree is the leaf, so its
// Self buckets answer both kinds of query and each fact credited to a rep
// writes one bucket fewer.
type Scope byte

const (
	Self Scope = 's' // facts credited to the unit itself
	Tree Scope = 't' // facts credited to an internal unit or any descendant
)

// Org is what rollup needs of the org tree: each unit's proper ancestors
// on a given day, nearest first, and which units have descendants. It is
// tolerant, as stores are: a parent missing from the units ends a chain and
// a cycle is cut where it closes (the engine rejects both before storing).
type Org struct {
	units    map[string]*goal.Unit
	chains   map[string]chain // every unit's ancestors today
	internal map[string]bool
}

// chain is a unit's ancestors today, nearest first, and whether they differ
// on other days (then AncestorsAt walks the parents of the day).
type chain struct {
	anc   []string
	dated bool
}

// NewOrg builds an Org from units, which may be a subset of the org closed
// under parents (every parent, today's and earlier, that exists is
// included). internal lists the units with descendants; nil derives them
// from units (complete only when units is the whole org): a unit is
// internal if it is a parent on any day. A chain deeper than goal.MaxDepth
// is ErrInvalid. It costs O(units × depth).
func NewOrg(units []goal.Unit, internal map[string]bool) (*Org, error) {
	o := &Org{units: make(map[string]*goal.Unit, len(units)), chains: make(map[string]chain, len(units)), internal: internal}
	for i := range units {
		o.units[units[i].ID] = &units[i]
	}
	if internal == nil {
		o.internal = map[string]bool{}
		for _, u := range units {
			o.internal[u.Parent] = true
			for _, e := range u.Earlier {
				o.internal[e.Parent] = true
			}
		}
		delete(o.internal, "")
	}
	// Today's chains, each built once from its parent's: O(units × depth).
	done := make(map[string]bool, len(units))
	var path []string
	for _, u := range units {
		path = path[:0]
		for id := u.ID; id != "" && !done[id]; {
			v, ok := o.units[id]
			if !ok || slices.Contains(path, id) {
				break
			}
			path = append(path, id)
			id = v.Parent
			if len(path) > goal.MaxDepth+1 {
				return nil, tooDeep(u.ID)
			}
		}
		for k := len(path) - 1; k >= 0; k-- {
			id := path[k]
			v := o.units[id]
			done[id] = true
			var c chain
			if p := v.Parent; p != "" && o.units[p] != nil && (k < len(path)-1 || !slices.Contains(path, p)) {
				c.anc = append([]string{p}, o.chains[p].anc...)
				if i := slices.Index(c.anc, id); i >= 0 {
					c.anc = c.anc[:i]
				}
				c.dated = o.chains[p].dated
			}
			if len(c.anc) > goal.MaxDepth {
				return nil, tooDeep(id)
			}
			c.dated = c.dated || len(v.Earlier) > 0
			o.chains[id] = c
		}
	}
	return o, nil
}

func tooDeep(id string) error {
	return storage.Invalid("unit", id, fmt.Sprintf("it has more than goal.MaxDepth = %d ancestors; an org may be at most %[1]d levels deep", goal.MaxDepth))
}

// AncestorsAt returns the unit's proper ancestors on day d, nearest first.
func (o *Org) AncestorsAt(unit string, d date.Date) []string {
	c := o.chains[unit]
	if !c.dated {
		return c.anc
	}
	var out []string
	for u := o.units[unit]; u != nil; {
		p := u.ParentAt(d)
		if p == "" || p == unit || slices.Contains(out, p) || len(out) > goal.MaxDepth {
			break
		}
		out = append(out, p)
		u = o.units[p]
	}
	return out
}

// Internal reports whether the unit has descendants.
func (o *Org) Internal(unit string) bool { return o.internal[unit] }

// ScopeOf returns the scope of the buckets that answer q.
func (o *Org) ScopeOf(q storage.Query) Scope {
	if q.Subtree && o.internal[q.Unit] {
		return Tree
	}
	return Self
}

// Series identifies one daily series.
type Series struct {
	Scope  Scope
	Metric string
	Unit   string
}

// Key identifies one daily bucket.
type Key struct {
	Series
	Day date.Date
}

// Delta is a change to a bucket: the value and the share-weighted count of
// facts.
type Delta struct {
	Value decimal.Decimal
	Count decimal.Decimal
}

// Deltas accumulates bucket changes of a batch, so each bucket is written
// once per batch.
type Deltas map[Key]*Delta

// AddFact adds (sign +1) or removes (sign -1) a fact's parts, each on its
// own Day if it has one (a range fact), else on day. Each
// credited unit gets its part and its share as count in its Self bucket
// (and its Tree bucket if it is internal), and each of its ancestors in its
// Tree bucket: an ancestor of every credited unit gets the whole value and a
// count of exactly 1.
func (d Deltas) AddFact(metric string, day date.Date, parts []storage.Part, o *Org, sign int) {
	for _, p := range parts {
		v, n, on := p.Value, p.Share, day
		if sign < 0 {
			v, n = v.Neg(), n.Neg()
		}
		if p.Day != 0 {
			on = p.Day // a day of a range fact
		}
		d.add(Key{Series{Self, metric, p.Unit}, on}, v, n)
		d.AddTree(metric, p.Unit, on, v, n, o)
	}
}

// AddTree adds what a unit's own facts of one day (v, n) add to subtree
// buckets: its own Tree bucket if it is internal and the Tree bucket of
// each of its ancestors on that day. Rebuilding the subtree buckets from
// the Self buckets is AddTree of every Self bucket.
func (d Deltas) AddTree(metric, unit string, day date.Date, v, n decimal.Decimal, o *Org) {
	if o.internal[unit] {
		d.add(Key{Series{Tree, metric, unit}, day}, v, n)
	}
	for _, a := range o.AncestorsAt(unit, day) {
		d.add(Key{Series{Tree, metric, a}, day}, v, n)
	}
}

// Promote copies one Self bucket of a unit that gets descendants for the
// first time into its Tree series.
func (d Deltas) Promote(metric, unit string, day date.Date, v, n decimal.Decimal) {
	d.add(Key{Series{Tree, metric, unit}, day}, v, n)
}

// Move carries a unit's subtree total of one day (v, n: its Tree bucket,
// or its Self bucket for a leaf) from its ancestors on that day in old to
// its ancestors in new, after an org edit. Common ancestors net to zero and
// get no delta. A move at day D is Move of every subtree bucket dated on or
// after D; nothing is read but the moved unit's buckets.
func (d Deltas) Move(metric, unit string, day date.Date, v, n decimal.Decimal, old, new *Org) {
	was, is := old.AncestorsAt(unit, day), new.AncestorsAt(unit, day)
	for _, a := range was {
		if !slices.Contains(is, a) {
			d.add(Key{Series{Tree, metric, a}, day}, v.Neg(), n.Neg())
		}
	}
	for _, a := range is {
		if !slices.Contains(was, a) {
			d.add(Key{Series{Tree, metric, a}, day}, v, n)
		}
	}
}

func (d Deltas) add(k Key, v, n decimal.Decimal) {
	if x, ok := d[k]; ok {
		x.Value = x.Value.Add(v)
		x.Count = x.Count.Add(n)
		return
	}
	d[k] = &Delta{Value: v, Count: n}
}

// Sorted returns the keys in a fixed order (scope, metric, unit, day), so
// concurrent writers touch buckets in the same order.
func (d Deltas) Sorted() []Key {
	keys := make([]Key, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, Compare)
	return keys
}

// Compare orders keys by scope, metric, unit, day.
func Compare(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Metric, b.Metric),
		cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.Day, b.Day))
}

// Bounds returns the sorted distinct starts and ends of the non-empty
// queries: consecutive bounds delimit the segments a batch is summed over.
func Bounds(qs []storage.Query) []date.Date {
	var b []date.Date
	for _, q := range qs {
		if q.End > q.Start {
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
	sums   map[Series][]storage.Total
}

// NewSegments starts an empty set of per-segment totals over bounds.
func NewSegments(bounds []date.Date) *Segments {
	return &Segments{bounds: bounds, sums: make(map[Series][]storage.Total)}
}

// Add adds a value and count to segment i of series s.
func (s *Segments) Add(series Series, i int, v, n decimal.Decimal) {
	t := s.sums[series]
	if t == nil {
		t = make([]storage.Total, len(s.bounds)-1)
		for j := range t {
			t[j] = storage.Total{Value: decimal.Zero, Count: decimal.Zero}
		}
		s.sums[series] = t
	}
	t[i].Value = t[i].Value.Add(v)
	t[i].Count = t[i].Count.Add(n)
}

// Answer returns the total of each query from the segment totals.
func (s *Segments) Answer(qs []storage.Query, o *Org) []storage.Total {
	out := make([]storage.Total, len(qs))
	for k, q := range qs {
		out[k] = storage.Total{Value: decimal.Zero, Count: decimal.Zero}
		if q.End <= q.Start {
			continue
		}
		t := s.sums[Series{o.ScopeOf(q), q.Metric, q.Unit}]
		if t == nil {
			continue
		}
		lo, _ := slices.BinarySearch(s.bounds, q.Start)
		hi, _ := slices.BinarySearch(s.bounds, q.End)
		if lo == hi {
			continue
		}
		// Start from the first segment (as zero plus it: the same value and
		// exponent when its exponent is not positive), then add the rest.
		v, n := t[lo].Value, t[lo].Count
		if v.Exponent() > 0 {
			v = decimal.Zero.Add(v)
		}
		if n.Exponent() > 0 {
			n = decimal.Zero.Add(n)
		}
		for i := lo + 1; i < hi; i++ {
			v, n = v.Add(t[i].Value), n.Add(t[i].Count)
		}
		out[k] = storage.Total{Value: v, Count: n}
	}
	return out
}
