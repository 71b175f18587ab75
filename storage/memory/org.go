package memory

import (
	"fmt"
	"math"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

// names interns strings (unit IDs, metric keys, currencies) as dense
// indexes, so facts and totals hold small integers. A name once interned
// keeps its index for the store's life; a rolled-back transaction may leave
// names no fact uses, which nothing can see.
type names struct {
	idx  map[string]int32
	list []string
}

// index returns s's index, if s is known. A few names (metrics) are
// scanned, which is cheaper than hashing.
func (n *names) index(s string) (int32, bool) {
	if len(n.list) <= 8 {
		for i, x := range n.list {
			if x == s {
				return int32(i), true
			}
		}
		return 0, false
	}
	i, ok := n.idx[s]
	return i, ok
}

// intern returns s's index, adding s if it is new and fewer than limit
// names are known.
func (n *names) intern(s string, what string, limit int) (int32, error) {
	if i, ok := n.index(s); ok {
		return i, nil
	}
	if len(n.list) >= limit {
		return 0, storage.Invalid(what, s, fmt.Sprintf("the memory store holds %d distinct values of it, its limit", limit))
	}
	if n.idx == nil {
		n.idx = map[string]int32{}
	}
	i := int32(len(n.list))
	n.idx[s] = i
	n.list = append(n.list, s)
	return i, nil
}

const (
	maxUnits   = math.MaxInt32
	maxMetrics = math.MaxUint16
)

// orgIndex is the roll-up input of the totals, over the interned unit
// names: for each unit its proper ancestors on a day (nearest first) and
// whether it has sub-units on any day. Units whose chain never changed (no
// earlier parent on it) keep one chain for every day, by index; the chains
// of moved units and their subtrees follow rollup.Org's dated ancestors.
// Units only facts name (not in the org) have neither ancestors nor
// sub-units. It implements kpi.Ancestry.
type orgIndex struct {
	org     *rollup.Org // nil for an empty org
	names   *names
	pathOff []int32 // undated ancestors of u: path[pathOff[u]:pathOff[u+1]]
	path    []int32
	kids    []bool
	dated   []bool // u's chain depends on the day
}

// newOrgIndex indexes org, built from units, over the interned unit names.
func newOrgIndex(units *names, org *rollup.Org, list []goal.Unit) (*orgIndex, error) {
	o := &orgIndex{org: org, names: units}
	for i := range list {
		if _, err := units.intern(list[i].ID, "unit", maxUnits); err != nil {
			return nil, err
		}
	}
	n := len(units.list)
	o.pathOff = make([]int32, n+1)
	o.kids = make([]bool, n)
	o.dated = make([]bool, n)
	for u, id := range units.list {
		o.kids[u] = org.Internal(id)
		o.dated[u] = org.Dated(id)
		if !o.dated[u] {
			for _, a := range org.AncestorsAt(id, 0) {
				i, _ := units.index(a)
				o.path = append(o.path, i)
			}
		}
		o.pathOff[u+1] = int32(len(o.path))
	}
	return o, nil
}

// Ancestors returns u's proper ancestors on day, nearest first.
func (o *orgIndex) Ancestors(u int32, day date.Date) []int32 {
	if int(u)+1 >= len(o.pathOff) {
		return nil
	}
	if !o.dated[u] {
		return o.path[o.pathOff[u]:o.pathOff[u+1]]
	}
	ids := o.org.AncestorsAt(o.names.list[u], day)
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i], _ = o.names.index(id)
	}
	return out
}

// internal reports whether u has sub-units (on any day).
func (o *orgIndex) internal(u int32) bool { return int(u) < len(o.kids) && o.kids[u] }
