package rollup

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// Edit is an incremental org edit as a store carries it out: the units
// after it, the roll-up orgs before and after, and which subtree totals
// change. A store applies, in the same transaction, Deltas.Move of every
// bucket of Moved's series in MovedScope (on every day: days whose
// ancestors did not change net to nothing) and a copy of Promoted's Self
// buckets into its Tree series.
type Edit struct {
	Units    []goal.Unit
	Old, New *Org
	// Moved is the unit placed under a new parent ("" when none), and
	// MovedScope the scope of its buckets that hold its subtree total.
	Moved      string
	MovedScope Scope
	// Promoted is a unit that has descendants for the first time ("" when
	// none): its subtree buckets start as its own.
	Promoted string
}

// NewEdit applies e to the stored units and validates the result as
// goal.NewOrg does. Errors match the storage sentinel (ErrInvalid,
// ErrNotFound) and the goal one.
func NewEdit(units []goal.Unit, e goal.OrgEdit) (*Edit, error) {
	after, err := e.ApplyTo(units)
	if err == nil {
		_, err = goal.NewOrg(after)
	}
	if err == nil {
		if err = record.CheckUnits(after); err != nil {
			return nil, err
		}
	}
	if err != nil {
		if errors.Is(err, goal.ErrNotFound) {
			return nil, fmt.Errorf("%w: %w", storage.ErrNotFound, err)
		}
		return nil, fmt.Errorf("%w: %w", storage.ErrInvalid, err)
	}
	old, err := NewOrg(units, nil)
	if err != nil {
		return nil, err
	}
	ed := &Edit{Units: after, Old: old}
	if ed.New, err = NewOrg(after, nil); err != nil {
		return nil, err
	}
	if p, ok := e.NewParent(); ok {
		ed.Moved, ed.MovedScope = e.UnitID(), Self
		if old.Internal(ed.Moved) {
			ed.MovedScope = Tree
		}
		if p != "" && !old.Internal(p) {
			ed.Promoted = p
		}
	}
	return ed, nil
}

// StaleOrg is the conflict of an org edit based on version expected when
// stored is current.
func StaleOrg(e goal.OrgEdit, stored, expected int64) error {
	return &storage.ConflictError{Kind: "org", Key: e.UnitID(),
		Reason: fmt.Sprintf("the stored org is at version %d, the edit was based on version %d; read the org again and redo the edit", stored, expected)}
}
