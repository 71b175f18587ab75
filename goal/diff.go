package goal

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// ChangeKind says how one goal differs between two versions of a plan.
type ChangeKind uint8

const (
	// TargetMoved is the zero value: the goal is in both versions and its
	// target differs.
	TargetMoved ChangeKind = iota
	// GoalAdded is a goal only the later version has.
	GoalAdded
	// GoalRemoved is a goal only the earlier version has.
	GoalRemoved
)

var changeKindNames = [...]string{"moved", "added", "removed"}

// String returns "moved", "added" or "removed".
func (k ChangeKind) String() string {
	if int(k) < len(changeKindNames) {
		return changeKindNames[k]
	}
	return fmt.Sprintf("ChangeKind(%d)", uint8(k))
}

// TargetChange is one goal whose target differs between two versions of a
// plan.
type TargetChange struct {
	Goal   string // the goal's ID
	Unit   string
	Period Period
	Kind   ChangeKind
	// Before and After are the targets in the earlier and the later
	// version; zero on the side where the goal is missing.
	Before, After decimal.Decimal
	// Delta is After − Before: how far the target moved.
	Delta decimal.Decimal
}

// Diff compares two versions of a plan of one metric and returns every goal
// whose target moved, was added or was removed: first the goals of after in
// its plan order (moved or added), then the goals only before has, in its
// order. Goals are matched by ID; stretch, floor and lock flags are not
// compared. Neither plan is changed. It fails with ErrInvalid when a plan is
// nil or the metrics differ, and with NewPlan's error when a plan has no
// index and cannot be rebuilt.
func Diff(before, after *Plan) ([]TargetChange, error) {
	if before == nil || after == nil {
		return nil, invalid("plan", "", "it is nil; give both versions of the plan")
	}
	if before.Metric.Key != after.Metric.Key {
		return nil, invalid("plan", after.ID, "its metric %q differs from the earlier version's %q; compare versions of one plan", after.Metric.Key, before.Metric.Key)
	}
	b, err := indexedPlan(before)
	if err != nil {
		return nil, fmt.Errorf("goal: diff: earlier version: %w", err)
	}
	a, err := indexedPlan(after)
	if err != nil {
		return nil, fmt.Errorf("goal: diff: later version: %w", err)
	}
	var out []TargetChange
	for _, g := range a.Goals {
		c := TargetChange{Goal: g.ID, Unit: g.Unit, Period: g.Period, Kind: GoalAdded, After: g.Target, Delta: g.Target}
		if i, ok := b.lookup(g.ID); ok {
			if b.Goals[i].Target.Equal(g.Target) {
				continue
			}
			c.Kind, c.Before, c.Delta = TargetMoved, b.Goals[i].Target, g.Target.Sub(b.Goals[i].Target)
		}
		out = append(out, c)
	}
	for _, g := range b.Goals {
		if _, ok := a.lookup(g.ID); !ok {
			out = append(out, TargetChange{Goal: g.ID, Unit: g.Unit, Period: g.Period, Kind: GoalRemoved, Before: g.Target, Delta: g.Target.Neg()})
		}
	}
	return out, nil
}

// indexedPlan returns p when it is indexed, else an indexed copy.
func indexedPlan(p *Plan) (*Plan, error) {
	if p.indexed() {
		return p, nil
	}
	return p.Clone()
}
