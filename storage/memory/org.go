package memory

import (
	"fmt"
	"math"

	"github.com/goalkit/goalkit/storage"
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

func (n *names) index(s string) (int32, bool) {
	i, ok := n.idx[s]
	return i, ok
}

// intern returns s's index, adding s if it is new and fewer than limit
// names are known.
func (n *names) intern(s string, what string, limit int) (int32, error) {
	if len(n.list) <= 8 { // a few metrics: a scan is cheaper than hashing
		for i, x := range n.list {
			if x == s {
				return int32(i), nil
			}
		}
	} else if i, ok := n.idx[s]; ok {
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

// orgIndex is the roll-up input of the totals: for each unit index, its
// proper ancestors (nearest first) and whether it has sub-units. Units only
// facts name (not in the org) have neither. It implements kpi.Ancestry for
// a fixed org: a unit's chain is the same on every day.
type orgIndex struct {
	pathOff []int32 // ancestors of u: path[pathOff[u]:pathOff[u+1]]
	path    []int32
	kids    []bool
}

// newOrgIndex indexes anc (unit → proper ancestors, nearest first, as
// record.Ancestors gives) over the interned unit names.
func newOrgIndex(units *names, anc map[string][]string) (*orgIndex, error) {
	o := &orgIndex{}
	for id, chain := range anc {
		if _, err := units.intern(id, "unit", maxUnits); err != nil {
			return nil, err
		}
		for _, a := range chain {
			if _, err := units.intern(a, "unit", maxUnits); err != nil {
				return nil, err
			}
		}
	}
	n := len(units.list)
	o.pathOff = make([]int32, n+1)
	o.kids = make([]bool, n)
	for u, id := range units.list {
		for _, a := range anc[id] {
			i, _ := units.index(a)
			o.path = append(o.path, i)
			o.kids[i] = true
		}
		o.pathOff[u+1] = int32(len(o.path))
	}
	return o, nil
}

// Ancestors returns u's proper ancestors, nearest first, whatever the day.
func (o *orgIndex) Ancestors(u int32, _ date.Date) []int32 {
	if int(u)+1 >= len(o.pathOff) {
		return nil
	}
	return o.path[o.pathOff[u]:o.pathOff[u+1]]
}

// internal reports whether u has sub-units.
func (o *orgIndex) internal(u int32) bool { return int(u) < len(o.kids) && o.kids[u] }
