package goal

import (
	"slices"

	"github.com/rickb777/date/v2"
)

// Chains is the org over time as a roll-up reads it: for every unit, its
// proper ancestors on any day, nearest first. A fact credited to a unit on
// day d counts for the unit and for the subtree total of every unit
// Ancestors returns for d, so a fact dated before a move still counts for
// the old team (see Unit.Earlier and Unit.ParentAt). This is the one
// implementation of that rule: kpi.Ledger, the memory store and the SQL
// store (through package storage/rollup) call it, and so can a host's own
// store.
//
// Units are addressed by index: their position in the units given to
// NewChains, the same as Org.Index for Org.Chains. Every chain is computed
// when Chains is built, so Ancestors allocates nothing and returns the same
// slice for every day of an era (the days between two changes of a
// chain). A Chains is immutable and safe for concurrent use.
type Chains struct {
	index    map[string]int32
	path     []int32  // every era's chain, by unit index
	ids      []string // path's unit IDs
	eras     []era    // every unit's eras, oldest first
	eraOff   []int32  // unit u's eras: eras[eraOff[u]:eraOff[u+1]]
	internal []bool   // the unit is a parent on some day
}

// era is a chain that holds from day from (inclusive) until the next era
// of the same unit: path[lo:hi].
type era struct {
	from   date.Date
	lo, hi int32
}

// NewChains computes the ancestor chains of units on every day. Unlike
// NewOrg it accepts a subset of an org, as a store loads it: a parent
// missing from units ends a chain, and a cycle (which NewOrg rejects) is
// cut where it closes. It fails with an error matching ErrInvalid for an
// empty or duplicate ID and for a chain longer than MaxDepth on any day. It
// costs O(units × depth) plus, for each unit whose chain changes over time,
// O(depth) per move on its chains.
func NewChains(units []Unit) (*Chains, error) {
	c := &Chains{
		index:    make(map[string]int32, len(units)),
		eraOff:   make([]int32, len(units)+1),
		internal: make([]bool, len(units)),
	}
	for i, u := range units {
		if u.ID == "" {
			return nil, invalid("unit", "", "unit #%d has an empty ID; every unit needs a unique ID", i)
		}
		if _, dup := c.index[u.ID]; dup {
			return nil, invalid("unit", u.ID, "the ID appears twice; unit IDs must be unique")
		}
		c.index[u.ID] = int32(i)
	}
	b := chainBuilder{units: units, index: c.index, today: make([]int32, len(units))}
	for i, u := range units {
		b.today[i] = b.lookup(u.Parent)
		for _, id := range u.Parents() {
			if p := b.lookup(id); p >= 0 {
				c.internal[p] = true
			}
		}
	}
	always := []date.Date{0} // the one day to walk an undated chain on
	for i := range units {
		days := b.changes(int32(i))
		if days == nil {
			days = always
		}
		for _, d := range days {
			chain, err := b.walk(int32(i), d)
			if err != nil {
				return nil, err
			}
			if last := len(c.eras) - 1; last >= int(c.eraOff[i]) && slices.Equal(c.path[c.eras[last].lo:c.eras[last].hi], chain) {
				continue // the chain does not change on this day
			}
			lo := int32(len(c.path))
			for _, a := range chain {
				c.path = append(c.path, a)
				c.ids = append(c.ids, units[a].ID)
			}
			c.eras = append(c.eras, era{from: d, lo: lo, hi: int32(len(c.path))})
		}
		c.eraOff[i+1] = int32(len(c.eras))
	}
	return c, nil
}

// Len returns the number of units.
func (c *Chains) Len() int { return len(c.eraOff) - 1 }

// Index returns the index of the unit with the given ID.
func (c *Chains) Index(id string) (int32, bool) {
	i, ok := c.index[id]
	return i, ok
}

// Ancestors returns the proper ancestors of unit u on day d, nearest first,
// as indexes: the units whose subtree totals a fact credited to u and dated
// d counts in. It is nil for a root and for an index out of range. The
// slice is shared: do not modify it. It implements kpi.Ancestry.
func (c *Chains) Ancestors(u int32, d date.Date) []int32 {
	e, ok := c.eraAt(u, d)
	if !ok || e.lo == e.hi {
		return nil
	}
	return c.path[e.lo:e.hi]
}

// AncestorIDs is Ancestors with unit IDs instead of indexes.
func (c *Chains) AncestorIDs(u int32, d date.Date) []string {
	e, ok := c.eraAt(u, d)
	if !ok || e.lo == e.hi {
		return nil
	}
	return c.ids[e.lo:e.hi]
}

// eraAt returns u's era that holds on day d.
func (c *Chains) eraAt(u int32, d date.Date) (era, bool) {
	if u < 0 || int(u) >= len(c.eraOff)-1 {
		return era{}, false
	}
	lo, i := c.eraOff[u], c.eraOff[u+1]-1
	for i > lo && c.eras[i].from > d {
		i--
	}
	return c.eras[i], true
}

// Dated reports whether unit u's ancestors differ by day: it or a unit on
// one of its chains moved (has Earlier parents). The ancestors of a unit
// that is not dated are the same slice on every day, so a caller may
// resolve them once.
func (c *Chains) Dated(u int32) bool {
	return u >= 0 && int(u) < len(c.eraOff)-1 && c.eraOff[u+1]-c.eraOff[u] > 1
}

// Internal reports whether unit u is a parent on some day (has sub-units
// then): a store keeps a subtree total for it besides its own.
func (c *Chains) Internal(u int32) bool {
	return u >= 0 && int(u) < len(c.internal) && c.internal[u]
}

// chainBuilder walks chains while NewChains builds them.
type chainBuilder struct {
	units []Unit
	index map[string]int32
	today []int32 // every unit's parent today, -1 for none
	chain []int32
}

// lookup returns the index of the unit with the given ID, or -1 for none
// (a root's "" or a unit not among the units).
func (b *chainBuilder) lookup(id string) int32 {
	if i, ok := b.index[id]; ok {
		return i
	}
	return -1
}

// parent returns the index of u's parent on day d, or -1 for a root or a
// parent that is not among the units.
func (b *chainBuilder) parent(u int32, d date.Date) int32 {
	if len(b.units[u].Earlier) == 0 {
		return b.today[u]
	}
	return b.lookup(b.units[u].ParentAt(d))
}

// walk returns u's proper ancestors on day d, nearest first, in scratch
// space valid until the next call.
func (b *chainBuilder) walk(u int32, d date.Date) ([]int32, error) {
	b.chain = b.chain[:0]
	for p := b.parent(u, d); p >= 0 && p != u && !slices.Contains(b.chain, p); p = b.parent(p, d) {
		if len(b.chain) == MaxDepth {
			return nil, tooDeep(b.units[u].ID, MaxDepth+1, " or more")
		}
		b.chain = append(b.chain, p)
	}
	return b.chain, nil
}

// changes returns the days from which u's chain may differ from the day
// before, first of all a day before every change: the days a unit that is
// u or one of its ancestors on some day changed parent. A unit none of
// whose ancestors today (nor itself) ever moved has one chain on every day:
// then changes returns nil. O(ancestors ever).
func (b *chainBuilder) changes(u int32) []date.Date {
	for v, n := u, 0; len(b.units[v].Earlier) == 0; n++ {
		if v = b.today[v]; v < 0 || n > MaxDepth {
			return nil // nobody on today's chain moved
		}
	}
	var days []date.Date
	seen := map[int32]bool{u: true}
	stack := []int32{u}
	for len(stack) > 0 {
		v := b.units[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		for _, t := range v.Earlier {
			days = append(days, t.Until)
		}
		for _, p := range v.Parents() {
			if i := b.lookup(p); i >= 0 && !seen[i] {
				seen[i] = true
				stack = append(stack, i)
			}
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	return append([]date.Date{days[0] - 1}, days...)
}
