package goal

import (
	"fmt"
	"maps"
	"slices"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// EditMode says what editing one target does to the rest of the plan.
type EditMode uint8

const (
	// Rebalance is the zero value: the parent keeps its target and the
	// edited goal's siblings share the difference, in proportion to their
	// targets; locked and closed siblings keep theirs.
	Rebalance EditMode = iota
	// RollUp keeps the siblings and moves the parent and every ancestor by
	// the same amount as the edited goal. A locked ancestor refuses it.
	RollUp
)

var editModeNames = [...]string{"rebalance", "roll up"}

// String returns "rebalance" or "roll up".
func (m EditMode) String() string {
	if int(m) < len(editModeNames) {
		return editModeNames[m]
	}
	return fmt.Sprintf("EditMode(%d)", uint8(m))
}

// Edit is a hand edit of one target of a plan, as a manager changes a cell.
type Edit struct {
	Goal   string          // the ID of the goal to change
	Target decimal.Decimal // its new target, within the metric's places
	Mode   EditMode
	// Lock marks the edited goal Locked, so later re-planning and edits
	// keep it.
	Lock bool
	// AsOf, when set, is the first day not yet closed: a goal whose
	// period ends on or before it (End <= AsOf) keeps its target like a
	// locked one, so an edit never rewrites the past. Zero keeps nothing
	// but the locked goals.
	AsOf date.Date
	// Bounds limit the new targets of siblings that Rebalance changes, by
	// goal ID. Every key must be an unlocked, open sibling of the edited
	// goal.
	Bounds map[string]Bounds
}

// EditTarget applies e to a copy of p and returns the new plan and the IDs
// of every goal whose target changed, in plan order; p is not changed.
//
// The edit keeps an exact plan exact (Check stays empty). Under Rebalance
// the edited goal and its locked or closed siblings keep their targets and
// the others share what is left of the parent's target by Allocate, in
// proportion to their current targets (evenly when those are all zero),
// within Bounds. Under RollUp the parent and every ancestor move by the
// same amount. Either way, every goal whose target changed passes the change
// down to its own children the same way (in proportion, locked and closed
// children kept), and so on to the leaves. Stretch and floor levels are
// left as they were.
//
// Errors: an unknown goal is ErrNotFound; a target with too many places, an
// unknown mode or a Bounds key that is not an open, unlocked sibling is
// ErrInvalid; an edit the locks, closed periods or bounds cannot absorb
// (siblings all locked, a locked ancestor under RollUp, children that
// cannot take a change) is ErrInfeasible naming the goal. On error nothing
// is returned.
func EditTarget(p *Plan, e Edit) (*Plan, []string, error) {
	if p == nil {
		return nil, nil, invalid("plan", "", "it is nil")
	}
	if e.Mode > RollUp {
		return nil, nil, invalid("edit mode", e.Mode.String(), "use goal.Rebalance or goal.RollUp")
	}
	np, err := p.Clone()
	if err != nil {
		return nil, nil, err
	}
	i, err := np.find(e.Goal)
	if err != nil {
		return nil, nil, err
	}
	if err := np.Metric.CheckValue(e.Target); err != nil {
		return nil, nil, fmt.Errorf("goal: edit %q: %w", e.Goal, err)
	}
	ed := editor{p: np, e: e, changed: make([]bool, len(np.Goals)), spread: make([]bool, len(np.Goals))}
	ed.set(i, e.Target)
	ed.spread[i] = true
	if e.Lock {
		np.Goals[i].Locked = true
	}
	if i > 0 {
		parent, _ := np.lookup(np.Goals[i].Parent)
		switch e.Mode {
		case Rebalance:
			err = ed.rebalance(parent, i)
		case RollUp:
			err = ed.rollUp(parent, e.Target.Sub(p.Goals[i].Target))
		}
		if err != nil {
			return nil, nil, err
		}
	} else if len(e.Bounds) > 0 {
		return nil, nil, invalid("bounds", e.Goal, "the root has no siblings to bound; drop Bounds")
	}
	if err := ed.spreadDown(); err != nil {
		return nil, nil, err
	}
	var ids []string
	for k, ok := range ed.changed {
		if ok {
			ids = append(ids, np.Goals[k].ID)
		}
	}
	return np, ids, nil
}

// editor applies one Edit to a cloned plan.
type editor struct {
	p       *Plan
	e       Edit
	changed []bool // the goals whose target changed
	spread  []bool // the goals whose change their children must take
}

func (ed *editor) set(i int, v decimal.Decimal) {
	if ed.p.Goals[i].Target.Equal(v) {
		return
	}
	ed.p.Goals[i].Target = v
	ed.changed[i] = true
}

// kept reports whether goal k keeps its target: locked, or closed as of
// e.AsOf.
func (ed *editor) kept(k int) bool {
	g := ed.p.Goals[k]
	return g.Locked || (ed.e.AsOf != 0 && g.Period.End <= ed.e.AsOf)
}

// rebalance spreads what is left of the parent's target over the edited
// goal's open, unlocked siblings.
func (ed *editor) rebalance(parent, edited int) error {
	kids := ed.p.childIndexes(parent)
	bounds := maps.Clone(ed.e.Bounds)
	shares := make([]Share, len(kids))
	for n, k := range kids {
		g := ed.p.Goals[k]
		b, bounded := bounds[g.ID]
		delete(bounds, g.ID)
		switch {
		case int(k) == edited || ed.kept(int(k)):
			if bounded {
				return invalid("bounds", g.ID, "the goal is the edited one, locked or closed, so it keeps its target; bound only siblings that rebalance")
			}
			shares[n].Lock = decimal.NewNullDecimal(g.Target)
		default:
			shares[n] = Share{Weight: g.Target.Abs(), Min: b.Min, Max: b.Max}
		}
	}
	if len(bounds) > 0 {
		id := slices.Sorted(maps.Keys(bounds))[0]
		return invalid("bounds", id, "it is not a sibling of %q; bound only the goals that rebalance", ed.e.Goal)
	}
	return ed.split(parent, kids, shares, "rebalance the siblings of "+ed.e.Goal)
}

// rollUp moves the parent and every ancestor by delta.
func (ed *editor) rollUp(parent int, delta decimal.Decimal) error {
	for a := parent; ; {
		g := ed.p.Goals[a]
		if ed.kept(a) {
			return infeasible("edit %q: ancestor %q is locked or closed, so the change cannot roll up to it; unlock it or use goal.Rebalance", ed.e.Goal, g.ID)
		}
		v := g.Target.Add(delta)
		if err := ed.p.Metric.CheckValue(v); err != nil {
			return fmt.Errorf("goal: edit %q: roll up to %q: %w", ed.e.Goal, g.ID, err)
		}
		ed.set(a, v)
		if a == 0 {
			return nil
		}
		a, _ = ed.p.lookup(g.Parent)
	}
}

// spreadDown passes every change marked for spreading to the children of
// the changed goal; parents come before children in a plan, so one pass
// reaches the leaves.
func (ed *editor) spreadDown() error {
	for i := range ed.p.Goals {
		if !ed.spread[i] || !ed.changed[i] {
			continue
		}
		kids := ed.p.childIndexes(i)
		if len(kids) == 0 {
			continue
		}
		shares := make([]Share, len(kids))
		for n, k := range kids {
			if ed.kept(int(k)) {
				shares[n].Lock = decimal.NewNullDecimal(ed.p.Goals[k].Target)
				continue
			}
			shares[n].Weight = ed.p.Goals[k].Target.Abs()
		}
		if err := ed.split(i, kids, shares, "pass the change of "+ed.p.Goals[i].ID+" to its children"); err != nil {
			return err
		}
	}
	return nil
}

// split allocates goal i's target over its children and marks the ones
// that changed for spreading.
func (ed *editor) split(i int, kids []int32, shares []Share, what string) error {
	vs, err := Allocate(Allocation{Total: ed.p.Goals[i].Target, Places: ed.p.Metric.Places, Shares: shares, EvenIfZeroWeights: true})
	if err != nil {
		return fmt.Errorf("goal: edit %q: %s: %w", ed.e.Goal, what, err)
	}
	for n, k := range kids {
		if !ed.p.Goals[k].Target.Equal(vs[n]) {
			ed.set(int(k), vs[n])
			ed.spread[k] = true
		}
	}
	return nil
}
