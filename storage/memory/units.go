package memory

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/rollup"
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
	org, err := newOrgIndex(&t.d.names.units, ed.New, ed.Units)
	if err != nil {
		return 0, fmt.Errorf("memory: edit org: %w", err)
	}
	oldUnits, oldOrg := t.d.units, t.d.org
	t.d.units, t.d.org = ed.Units, org
	t.d.version++
	t.applyEdit(ed, oldOrg, org, 1)
	t.onUndo(func() {
		t.applyEdit(ed, oldOrg, org, -1)
		t.d.units, t.d.org = oldUnits, oldOrg
		t.d.version--
	})
	return t.d.version, nil
}

// applyEdit changes the subtree series as rollup.Edit says (times sign):
// the promoted unit's own series copied to its subtree series, and every
// day of the moved unit's subtree totals carried from its ancestors of
// that day before the edit to those after.
func (t *tx) applyEdit(ed *rollup.Edit, before, after *orgIndex, sign int64) {
	if ed.Promoted != "" {
		if u, ok := t.d.names.units.index(ed.Promoted); ok {
			t.d.totals.promote(u, sign)
		}
	}
	if ed.Moved != "" {
		if u, ok := t.d.names.units.index(ed.Moved); ok {
			t.d.totals.moveSubtree(u, ed.MovedScope == rollup.Tree, before, after, sign)
		}
	}
}
