package goal

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Goal is one target: how much of a metric a unit should reach in a period,
// with an optional higher stretch level (挑战值) and lower floor (保底值).
type Goal struct {
	ID      string              `json:"id"`               // unique within its plan; see GoalID
	Parent  string              `json:"parent,omitempty"` // ID of the goal this one was decomposed from; empty for the root
	Metric  string              `json:"metric"`           // metric key
	Unit    string              `json:"unit"`             // unit ID
	Period  Period              `json:"period"`
	Target  decimal.Decimal     `json:"target"`
	Stretch decimal.NullDecimal `json:"stretch"`
	Floor   decimal.NullDecimal `json:"floor"`
	// Locked marks a target a manager fixed by hand: re-decomposition and
	// re-planning keep it and spread the rest over the unlocked siblings.
	Locked bool `json:"locked,omitempty"`
}

// GoalID returns the conventional goal ID "metric/unit/period-label". It is
// unique within a plan as long as a unit never holds two goals of the same
// metric for the same period label.
func GoalID(metric, unit string, p Period) string {
	return metric + "/" + unit + "/" + p.Label
}

// Plan is a tree of goals of one metric, built by decomposition: every goal
// but the root has a parent in the plan, and parents come before their
// children in Goals. Children normally sum exactly to their parent; Check
// reports where a hand edit broke that.
//
// Build plans with NewPlan, Decompose or Replan: they index the goals once,
// and every read (Goal, Children, Check, ...) uses that index, so a lookup
// costs the same in a plan of ten goals or of millions. Stores build the
// plans they return the same way. A Plan made otherwise (a struct literal,
// or one whose Goals were added or removed by hand) has no valid index:
// its lookups find nothing and Goal and SetTarget fail with an error
// matching ErrInvalid that says to rebuild it with NewPlan — it is never
// searched goal by goal. Change targets with SetTarget; to restructure a
// plan (add, remove or re-parent goals), edit a copy of Goals and call
// NewPlan again. Concurrent reads are safe; a Plan must not be read while it
// is being changed.
type Plan struct {
	ID      string
	Metric  Metric
	Version int64 // optimistic-concurrency version kept by storage; 0 for new
	Goals   []Goal

	index map[string]int
	// Children of goal i are kids[kidStart[i]:kidStart[i+1]], in plan order.
	kidStart []int32
	kids     []int32
}

// NewPlan validates goals as a plan of metric m: unique IDs, one root first,
// every parent present and before its children, the plan's metric on every
// goal, targets within the metric's decimal places. The goals are copied.
func NewPlan(id string, m Metric, goals []Goal) (*Plan, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(goals) == 0 {
		return nil, invalid("plan", id, "it has no goals; a plan needs at least its root goal")
	}
	p := &Plan{ID: id, Metric: m, Goals: append([]Goal(nil), goals...)}
	if err := p.reindex(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Plan) reindex() error {
	n := len(p.Goals)
	p.index = make(map[string]int, n)
	p.kidStart, p.kids = nil, nil
	parent := make([]int32, n)
	last, lastIdx := "", -1 // siblings are usually adjacent: skip repeat lookups
	for i, g := range p.Goals {
		switch {
		case g.ID == "":
			return invalid("goal", fmt.Sprintf("#%d", i), "the ID is empty; use goal.GoalID")
		case g.Metric != p.Metric.Key:
			return invalid("goal", g.ID, "metric %q differs from the plan's %q", g.Metric, p.Metric.Key)
		case i == 0 && g.Parent != "":
			return invalid("goal", g.ID, "the first goal must be the root (no parent)")
		case i > 0 && g.Parent == "":
			return invalid("goal", g.ID, "only the first goal may be a root; set Parent")
		}
		if err := p.Metric.CheckValue(g.Target); err != nil {
			return fmt.Errorf("goal %q: %w", g.ID, err)
		}
		for _, v := range []decimal.NullDecimal{g.Stretch, g.Floor} {
			if v.Valid {
				if err := p.Metric.CheckValue(v.Decimal); err != nil {
					return fmt.Errorf("goal %q: stretch or floor: %w", g.ID, err)
				}
			}
		}
		parent[i] = -1
		if i > 0 {
			if g.Parent != last || lastIdx < 0 {
				j, ok := p.index[g.Parent]
				if !ok {
					return invalid("goal", g.ID, "parent %q is not earlier in the plan; list parents before children", g.Parent)
				}
				last, lastIdx = g.Parent, j
			}
			parent[i] = int32(lastIdx)
		}
		before := len(p.index)
		p.index[g.ID] = i
		if len(p.index) == before {
			return invalid("goal", g.ID, "the ID appears twice in the plan")
		}
	}
	p.linkChildren(parent)
	return nil
}

// linkChildren builds the child lists from each goal's parent index (-1 for
// the root), keeping plan order.
func (p *Plan) linkChildren(parent []int32) {
	n := len(parent)
	count := make([]int32, n+1)
	for i := 1; i < n; i++ {
		count[parent[i]+1]++
	}
	for i := 1; i <= n; i++ {
		count[i] += count[i-1]
	}
	p.kidStart = count
	p.kids = make([]int32, max(n-1, 0))
	next := append([]int32(nil), count[:n]...)
	for i := 1; i < n; i++ {
		j := parent[i]
		p.kids[next[j]] = int32(i)
		next[j]++
	}
}

// newBuiltPlan makes a plan from goals that are valid by construction
// (unique IDs, parents first, values within the metric's places), with each
// goal's parent index given, skipping the checks NewPlan makes. It reports
// false if two goals share an ID after all.
func newBuiltPlan(id string, m Metric, goals []Goal, parent []int32) (*Plan, bool) {
	p := &Plan{ID: id, Metric: m, Goals: goals, index: make(map[string]int, len(goals))}
	for i, g := range goals {
		p.index[g.ID] = i
	}
	p.linkChildren(parent)
	return p, len(p.index) == len(goals)
}

// childIndexes returns the indexes of goal i's children.
func (p *Plan) childIndexes(i int) []int32 {
	return p.kids[p.kidStart[i]:p.kidStart[i+1]]
}

// Index returns the position in Goals of the goal with the given ID; false
// when there is none or the plan has no index (see Plan).
func (p *Plan) Index(id string) (int, bool) { return p.lookup(id) }

// ChildIndexes returns the positions in Goals of the children of the goal at
// position i, in plan order, or nil when i is out of range or the plan has
// no index (see Plan). The slice may be shared with the plan: do not modify
// it.
func (p *Plan) ChildIndexes(i int) []int32 {
	if i < 0 || i >= len(p.Goals) || !p.indexed() {
		return nil
	}
	return p.childIndexes(i)
}

// Root returns the plan's root goal; the zero Goal for an empty plan.
func (p *Plan) Root() Goal {
	if len(p.Goals) == 0 {
		return Goal{}
	}
	return p.Goals[0]
}

// Goal returns the goal with the given ID: ErrNotFound when there is none,
// ErrInvalid when the plan was not built by NewPlan (see Plan).
func (p *Plan) Goal(id string) (Goal, error) {
	i, err := p.find(id)
	if err != nil {
		return Goal{}, err
	}
	return p.Goals[i], nil
}

// Children returns the goals decomposed directly from the goal id, in plan
// order; none when the plan has no index (see Plan).
func (p *Plan) Children(id string) []Goal {
	out := []Goal{}
	i, ok := p.lookup(id)
	if !ok {
		return out
	}
	for _, k := range p.childIndexes(i) {
		out = append(out, p.Goals[k])
	}
	return out
}

// lookup finds a goal's index; nothing in a plan without a valid index. It
// never changes p, so concurrent readers are safe.
func (p *Plan) lookup(id string) (int, bool) {
	if !p.indexed() {
		return 0, false
	}
	i, ok := p.index[id]
	return i, ok
}

// find is lookup with an error that says why nothing was found.
func (p *Plan) find(id string) (int, error) {
	if !p.indexed() {
		return 0, p.unindexed()
	}
	i, ok := p.index[id]
	if !ok {
		return 0, fmt.Errorf("goal: goal %q is not in plan %q: %w", id, p.ID, ErrNotFound)
	}
	return i, nil
}

// unindexed is the error of a read that needs the index of a plan that has
// none.
func (p *Plan) unindexed() error {
	return invalid("plan", p.ID, "it was not built by goal.NewPlan, Decompose or Replan (or goals were added or removed by hand), so it has no index; build it with goal.NewPlan")
}

// indexed reports whether the ID index and the child lists are built and
// match Goals in length. A plan made by NewPlan, Decompose or Replan always
// is, until goals are added or removed by hand.
func (p *Plan) indexed() bool {
	return p.index != nil && len(p.index) == len(p.Goals) && len(p.kidStart) == len(p.Goals)+1
}

// Clone returns a copy of the plan that shares nothing writable with p: its
// own Goals (decimals are immutable values) and p's index, which no method
// changes. A plan without a valid index is rebuilt with NewPlan, so the
// clone is always indexed or an error.
func (p *Plan) Clone() (*Plan, error) {
	if !p.indexed() {
		q, err := NewPlan(p.ID, p.Metric, p.Goals)
		if err != nil {
			return nil, err
		}
		q.Version = p.Version
		return q, nil
	}
	q := *p
	q.Goals = append([]Goal(nil), p.Goals...)
	return &q, nil
}

// SetTarget changes one goal's target by hand, as a manager edits a cell. It
// does not touch the parent or siblings: Check then reports the difference.
// It fails when the goal is unknown or the value has too many decimal places.
func (p *Plan) SetTarget(id string, target decimal.Decimal) error {
	i, err := p.find(id)
	if err != nil {
		return err
	}
	if err := p.Metric.CheckValue(target); err != nil {
		return fmt.Errorf("goal %q: %w", id, err)
	}
	p.Goals[i].Target = target
	return nil
}

// Discrepancy is a parent whose children do not sum to its target.
type Discrepancy struct {
	Goal        string          // the parent goal's ID
	Target      decimal.Decimal // the parent's target
	ChildrenSum decimal.Decimal // the sum of its children's targets
	// Unallocated is Target − ChildrenSum: positive when part of the
	// parent's target is assigned to no child, negative when the children
	// are over-allocated.
	Unallocated decimal.Decimal
}

// Check verifies that every parent equals the sum of its children and
// returns the parents where it does not, in plan order. An empty result means
// the plan is exact at every level. A plan without a valid index (see
// Plan) is checked on an indexed copy; one that NewPlan rejects has no
// parent–child structure to check and reports nothing: build it with
// NewPlan to see why.
func (p *Plan) Check() []Discrepancy {
	if !p.indexed() {
		q, err := p.Clone()
		if err != nil {
			return nil
		}
		return q.Check()
	}
	// Sum in minor units where every value fits 64 bits; fall back to
	// decimals for a parent where one does not.
	minor := make([]int64, len(p.Goals))
	fits := make([]bool, len(p.Goals))
	for i, g := range p.Goals {
		minor[i], fits[i] = minor64(g.Target, p.Metric.Places)
	}
	var out []Discrepancy
	for i, g := range p.Goals {
		kids := p.childIndexes(i)
		if len(kids) == 0 {
			continue
		}
		ok := fits[i]
		var sum int64
		for _, k := range kids {
			if !fits[k] {
				ok = false
				break
			}
			var over bool
			if sum, over = addOverflows(sum, minor[k]); over {
				ok = false
				break
			}
		}
		if ok && sum == minor[i] {
			continue
		}
		dsum := decimal.Zero
		for _, k := range kids {
			dsum = dsum.Add(p.Goals[k].Target)
		}
		if !dsum.Equal(g.Target) {
			out = append(out, Discrepancy{Goal: g.ID, Target: g.Target, ChildrenSum: dsum, Unallocated: g.Target.Sub(dsum)})
		}
	}
	return out
}

func addOverflows(a, b int64) (int64, bool) {
	s := a + b
	return s, (b > 0 && s < a) || (b < 0 && s > a)
}
