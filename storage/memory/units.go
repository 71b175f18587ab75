package memory

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/internal/rollup"
)

func (t *tx) OrgVersion(ctx context.Context) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: org version: %w", err)
	}
	return t.d.version, nil
}

func (t *tx) EditOrg(ctx context.Context, e goal.OrgEdit, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: edit org: %w", err)
	}
	if t.d.version != expected {
		return 0, fmt.Errorf("memory: edit org: %w", rollup.StaleOrg(e, t.d.version, expected))
	}
	ed, err := rollup.NewEdit(t.d.units, e)
	if err != nil {
		return 0, fmt.Errorf("memory: edit org: %w", err)
	}
	d := t.editDeltas(ed)
	oldUnits, oldOrg := t.d.units, t.d.org
	t.d.units, t.d.org = ed.Units, ed.New
	t.d.version++
	t.applyTree(d, 1)
	t.onUndo(func() {
		t.applyTree(d, -1)
		t.d.units, t.d.org = oldUnits, oldOrg
		t.d.version--
	})
	return t.d.version, nil
}

// editDeltas returns the subtree bucket changes of an org edit: the
// promoted unit's own buckets copied to its subtree series, and every
// bucket of the moved unit's subtree series carried from its old ancestors
// to its new ones. This is the hook a store built on other bucket
// structures needs: read the two series, add the deltas.
func (t *tx) editDeltas(ed *rollup.Edit) rollup.Deltas {
	d := rollup.Deltas{}
	for s, days := range t.d.self {
		if ed.Promoted != "" && s.Unit == ed.Promoted {
			for day, b := range days {
				d.Promote(s.Metric, s.Unit, day, b.Value(), b.Count())
			}
		}
	}
	if ed.Moved == "" {
		return d
	}
	m := t.d.self
	if ed.MovedScope == rollup.Tree {
		m = t.d.tree
	}
	for s, days := range m {
		if s.Unit != ed.Moved {
			continue
		}
		for day, b := range days {
			d.Move(s.Metric, s.Unit, day, b.Value(), b.Count(), ed.Old, ed.New)
		}
	}
	return d
}

// applyTree adds sign × the subtree deltas to the tree buckets.
func (t *tx) applyTree(d rollup.Deltas, sign int) {
	for k, v := range d {
		apply(t.d.tree, k.Series, k.Day, v.Value, v.Count, sign)
	}
	t.d.sums.clear()
}
