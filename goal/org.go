package goal

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
)

// Unit is a node of the org tree: a company, region, team, rep or any kind
// the host names. A unit is active in [ActiveFrom, ActiveUntil); a zero
// ActiveFrom means since always and a zero ActiveUntil means still active, so
// reps who join or leave mid-year get a share of the year that fits.
//
// Parent is the unit's parent today. A unit that moved keeps its earlier
// parents in Earlier, oldest first, so that facts dated before a move still
// count for the old team (see ParentAt and Org.AncestorsAt).
type Unit struct {
	ID          string    `json:"id"`
	Parent      string    `json:"parent,omitempty"` // ID of the parent unit; empty for a root
	Kind        string    `json:"kind,omitempty"`   // free text, e.g. "company", "region", "team", "rep"
	Name        string    `json:"name,omitempty"`
	ActiveFrom  date.Date `json:"active_from,omitempty"`
	ActiveUntil date.Date `json:"active_until,omitempty"`
	// Earlier lists the unit's earlier parents, oldest first, with strictly
	// increasing Until dates: the unit was under Earlier[0].Parent before
	// Earlier[0].Until, under Earlier[i].Parent in [Earlier[i-1].Until,
	// Earlier[i].Until), and under Parent from the last Until on. Nil for a
	// unit that never moved.
	Earlier []Tenure `json:"earlier,omitempty"`
}

// Tenure is a period a unit spent under an earlier parent, up to Until
// (exclusive). An empty Parent means the unit was a root.
type Tenure struct {
	Parent string    `json:"parent"`
	Until  date.Date `json:"until"`
}

// Parents returns the IDs of the unit's parents on any day: today's first,
// then its earlier ones, oldest first ("" for a root).
func (u Unit) Parents() []string {
	out := []string{u.Parent}
	for _, t := range u.Earlier {
		out = append(out, t.Parent)
	}
	return out
}

// ParentAt returns the ID of the unit's parent on day d ("" for a root).
func (u Unit) ParentAt(d date.Date) string {
	for _, t := range u.Earlier {
		if d < t.Until {
			return t.Parent
		}
	}
	return u.Parent
}

// MaxDepth is the deepest an org may be: a unit may have at most MaxDepth
// ancestors, at any date. Real orgs are a handful of levels deep; the limit
// keeps every roll-up linear in units × depth, and NewOrg refuses deeper
// orgs so every path (engine, stores, ledger) shares it.
const MaxDepth = 64

// ActiveDays returns the number of days of [start, end) on which u is active.
func (u Unit) ActiveDays(start, end date.Date) int {
	if u.ActiveFrom != 0 {
		start = max(start, u.ActiveFrom)
	}
	if u.ActiveUntil != 0 {
		end = min(end, u.ActiveUntil)
	}
	return max(0, int(end-start))
}

// Org is a validated forest of units. Units are numbered densely from 0 in
// the order given, so hosts and hot paths can address them by index. An Org
// is immutable and safe for concurrent use. Build one with NewOrg.
type Org struct {
	units    []Unit
	index    map[string]int
	parent   []int   // parent index, -1 for roots
	children [][]int // child indexes in input order
	depth    []int   // 0 for roots
	chains   *Chains // every unit's ancestors on every day
}

// NewOrg validates units and builds the tree. It rejects empty and duplicate
// IDs, unknown parents, cycles and inverted active ranges, naming the
// offending unit. Parents may appear after their children in units.
func NewOrg(units []Unit) (*Org, error) {
	o := &Org{
		units:    make([]Unit, len(units)),
		index:    make(map[string]int, len(units)),
		parent:   make([]int, len(units)),
		children: make([][]int, len(units)),
		depth:    make([]int, len(units)),
	}
	copy(o.units, units)
	for i := range o.units {
		o.units[i].Earlier = cloneTenures(units[i].Earlier)
	}
	for i, u := range units {
		if u.ID == "" {
			return nil, invalid("unit", fmt.Sprintf("#%d", i), "the ID is empty; every unit needs a unique ID")
		}
		if _, dup := o.index[u.ID]; dup {
			return nil, invalid("unit", u.ID, "the ID appears twice; unit IDs must be unique")
		}
		if u.ActiveFrom != 0 && u.ActiveUntil != 0 && u.ActiveUntil <= u.ActiveFrom {
			return nil, invalid("unit", u.ID, "ActiveUntil %s is not after ActiveFrom %s; a unit is active in [ActiveFrom, ActiveUntil)", u.ActiveUntil, u.ActiveFrom)
		}
		o.index[u.ID] = i
	}
	for i, u := range units {
		o.parent[i] = -1
		if err := o.checkEarlier(u); err != nil {
			return nil, err
		}
		if u.Parent == "" {
			continue
		}
		p, ok := o.index[u.Parent]
		if !ok {
			return nil, invalid("unit", u.ID, "parent %q is not among the units; add it or clear Parent", u.Parent)
		}
		o.parent[i] = p
		o.children[p] = append(o.children[p], i)
	}
	// Depths from the roots down; a unit never reached lies on a cycle.
	const unseen = -1
	for i := range o.depth {
		o.depth[i] = unseen
	}
	var stack []int
	for i := range units {
		if o.parent[i] == -1 {
			o.depth[i] = 0
			stack = append(stack, i)
		}
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range o.children[i] {
			o.depth[c] = o.depth[i] + 1
			stack = append(stack, c)
		}
	}
	for i, d := range o.depth {
		if d == unseen {
			// i lies on a cycle or hangs below one; name a unit on it.
			cycle := o.cycleAbove(i)
			ids := make([]string, 0, len(cycle)+1)
			for _, j := range cycle {
				ids = append(ids, units[j].ID)
			}
			ids = append(ids, units[cycle[0]].ID)
			return nil, invalid("unit", units[cycle[0]].ID, "it is its own ancestor (parent chain %s); the org must be a tree", strings.Join(ids, " → "))
		}
		if d > MaxDepth {
			return nil, tooDeep(units[i].ID, d, "")
		}
	}
	if err := o.checkHistory(); err != nil {
		return nil, err
	}
	var err error
	if o.chains, err = NewChains(o.units); err != nil {
		return nil, err
	}
	return o, nil
}

func tooDeep(id string, depth int, on string) error {
	return invalid("unit", id, "it has %d ancestors%s; an org may be at most goal.MaxDepth = %d levels deep below its roots", depth, on, MaxDepth)
}

// checkEarlier checks a unit's earlier parents: known units other than
// itself, with strictly increasing Until dates.
func (o *Org) checkEarlier(u Unit) error {
	for k, t := range u.Earlier {
		if k > 0 && t.Until <= u.Earlier[k-1].Until {
			return invalid("unit", u.ID, "earlier parent %q ends on %s, not after the previous one (%s); list earlier parents oldest first", t.Parent, t.Until, u.Earlier[k-1].Until)
		}
		if t.Parent == "" {
			continue
		}
		if t.Parent == u.ID {
			return invalid("unit", u.ID, "it is its own earlier parent (until %s)", t.Until)
		}
		if _, ok := o.index[t.Parent]; !ok {
			return invalid("unit", u.ID, "earlier parent %q (until %s) is not among the units; keep the units a unit moved out of", t.Parent, t.Until)
		}
	}
	return nil
}

// checkHistory checks that the org was a tree no deeper than MaxDepth on
// every day before today's tree took effect: once before the first move and
// once from each move date but the last. It costs O(units) per distinct
// move date.
func (o *Org) checkHistory() error {
	var days []date.Date
	for _, u := range o.units {
		for _, t := range u.Earlier {
			days = append(days, t.Until)
		}
	}
	if len(days) == 0 {
		return nil
	}
	slices.Sort(days)
	days = slices.Compact(days)
	at := append([]date.Date{days[0] - 1}, days[:len(days)-1]...)
	parent := make([]int, len(o.units))
	depth := make([]int, len(o.units))
	for _, d := range at {
		for i := range o.units {
			parent[i] = o.ParentIndexAt(i, d)
		}
		if err := o.checkTree(d, parent, depth); err != nil {
			return err
		}
	}
	return nil
}

// checkTree checks that parent (indexes, -1 for roots) is a forest on day
// d with no unit deeper than MaxDepth, using depth as scratch space.
func (o *Org) checkTree(d date.Date, parent, depth []int) error {
	const unknown, onPath = -1, -2
	for i := range depth {
		depth[i] = unknown
	}
	var path []int
	for i := range parent {
		path = path[:0]
		j := i
		for j != -1 && depth[j] == unknown {
			depth[j] = onPath
			path = append(path, j)
			j = parent[j]
		}
		if j != -1 && depth[j] == onPath {
			k := slices.Index(path, j)
			ids := make([]string, 0, len(path)-k+1)
			for _, c := range path[k:] {
				ids = append(ids, o.units[c].ID)
			}
			ids = append(ids, o.units[j].ID)
			return invalid("unit", o.units[j].ID, "on %s it is its own ancestor (parent chain %s); the org must be a tree on every day", d, strings.Join(ids, " → "))
		}
		n := -1
		if j != -1 {
			n = depth[j]
		}
		for k := len(path) - 1; k >= 0; k-- {
			n++
			depth[path[k]] = n
			if n > MaxDepth {
				return tooDeep(o.units[path[k]].ID, n, " on "+d.String())
			}
		}
	}
	return nil
}

func cloneTenures(ts []Tenure) []Tenure {
	if len(ts) == 0 {
		return nil
	}
	return slices.Clone(ts)
}

// cycleAbove follows parents up from i, which must not reach a root, and
// returns the cycle it runs into, starting from its unit of lowest index.
func (o *Org) cycleAbove(i int) []int {
	pos := map[int]int{}
	var chain []int
	for j := i; ; j = o.parent[j] {
		if k, seen := pos[j]; seen {
			cycle := chain[k:]
			first := 0
			for n, u := range cycle {
				if u < cycle[first] {
					first = n
				}
			}
			return append(cycle[first:len(cycle):len(cycle)], cycle[:first]...)
		}
		pos[j] = len(chain)
		chain = append(chain, j)
	}
}

// Len returns the number of units.
func (o *Org) Len() int { return len(o.units) }

// Units returns a copy of all units in index order.
func (o *Org) Units() []Unit {
	out := append([]Unit(nil), o.units...)
	for i := range out {
		out[i].Earlier = cloneTenures(out[i].Earlier)
	}
	return out
}

// Index returns the dense index of the unit with the given ID.
func (o *Org) Index(id string) (int, bool) {
	i, ok := o.index[id]
	return i, ok
}

// At returns the unit with index i; i must be in [0, Len()). Its Earlier
// slice is the org's own (hot paths call At): read it, do not change it.
func (o *Org) At(i int) Unit { return o.units[i] }

// copyOf returns unit i with its own copy of Earlier, so a caller never
// changes the org through it.
func (o *Org) copyOf(i int) Unit {
	u := o.units[i]
	u.Earlier = cloneTenures(u.Earlier)
	return u
}

// ParentIndex returns the index of unit i's parent today, or -1 for a root.
func (o *Org) ParentIndex(i int) int { return o.parent[i] }

// ParentIndexAt returns the index of unit i's parent on day d (see
// Unit.Earlier), or -1 if it was a root then.
func (o *Org) ParentIndexAt(i int, d date.Date) int {
	u := o.units[i]
	if len(u.Earlier) == 0 {
		return o.parent[i]
	}
	p := u.ParentAt(d)
	if p == "" {
		return -1
	}
	return o.index[p]
}

// AncestorsAt returns the unit's ancestors on day d, nearest first: the
// units whose subtree totals a fact credited to it on d counts in (see
// Chains).
func (o *Org) AncestorsAt(id string, d date.Date) ([]Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return nil, o.notFound(id)
	}
	var out []Unit
	for _, p := range o.chains.Ancestors(int32(i), d) {
		out = append(out, o.copyOf(int(p)))
	}
	return out, nil
}

// Chains returns every unit's ancestors on every day, by the org's unit
// indexes (Index): what a roll-up follows. It is built once with the org.
func (o *Org) Chains() *Chains { return o.chains }

// Depth returns the number of ancestors of unit i today (0 for a root).
func (o *Org) Depth(i int) int { return o.depth[i] }

// Unit returns the unit with the given ID, or an error matching ErrNotFound.
func (o *Org) Unit(id string) (Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return Unit{}, o.notFound(id)
	}
	return o.copyOf(i), nil
}

func (o *Org) notFound(id string) error {
	return fmt.Errorf("goal: unit %q is not in the org: %w", id, ErrNotFound)
}

// Roots returns the units without a parent, in input order.
func (o *Org) Roots() []Unit {
	var out []Unit
	for i, p := range o.parent {
		if p == -1 {
			out = append(out, o.copyOf(i))
		}
	}
	return out
}

// Children returns the direct children of the unit, in input order.
func (o *Org) Children(id string) ([]Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return nil, o.notFound(id)
	}
	out := make([]Unit, len(o.children[i]))
	for k, c := range o.children[i] {
		out[k] = o.copyOf(c)
	}
	return out, nil
}

// Ancestors returns the unit's ancestors today, nearest first.
func (o *Org) Ancestors(id string) ([]Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return nil, o.notFound(id)
	}
	var out []Unit
	for p := o.parent[i]; p != -1; p = o.parent[p] {
		out = append(out, o.copyOf(p))
	}
	return out, nil
}

// Descendants returns the unit's descendants, not the unit itself, in
// depth-first pre-order with children in input order.
func (o *Org) Descendants(id string) ([]Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return nil, o.notFound(id)
	}
	var out []Unit
	o.walk(i, func(j int) {
		if j != i {
			out = append(out, o.copyOf(j))
		}
	})
	return out, nil
}

// Leaves returns the units below id (or id itself, if it has no children)
// that have no children, in depth-first pre-order.
func (o *Org) Leaves(id string) ([]Unit, error) {
	i, ok := o.index[id]
	if !ok {
		return nil, o.notFound(id)
	}
	var out []Unit
	o.walk(i, func(j int) {
		if len(o.children[j]) == 0 {
			out = append(out, o.copyOf(j))
		}
	})
	return out, nil
}

// IsAncestor reports whether ancestor is a proper ancestor of id.
func (o *Org) IsAncestor(ancestor, id string) bool {
	a, ok1 := o.index[ancestor]
	i, ok2 := o.index[id]
	if !ok1 || !ok2 {
		return false
	}
	for p := o.parent[i]; p != -1; p = o.parent[p] {
		if p == a {
			return true
		}
	}
	return false
}

// walk visits i and its descendants in depth-first pre-order, children in
// input order. It keeps its own stack, so a very deep tree cannot exhaust
// the goroutine stack.
func (o *Org) walk(i int, visit func(int)) {
	stack := []int{i}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		visit(j)
		kids := o.children[j]
		for k := len(kids) - 1; k >= 0; k-- {
			stack = append(stack, kids[k])
		}
	}
}
