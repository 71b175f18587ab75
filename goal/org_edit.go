package goal

import (
	"fmt"

	"github.com/rickb777/date/v2"
)

// OrgEdit is one incremental change to an org, made without resending the
// whole org: a unit added (AddUnit), moved under another parent from a day
// on (MoveUnit), or deactivated from a day on (DeactivateUnit). Apply it to
// an Org with Org.Apply, or to a list of units with ApplyTo.
type OrgEdit struct {
	op     editOp
	unit   Unit      // AddUnit: the new unit
	id     string    // MoveUnit, DeactivateUnit: the unit edited
	parent string    // MoveUnit: the new parent ("" makes it a root)
	from   date.Date // MoveUnit, DeactivateUnit: the first day of the change
}

type editOp byte

const (
	opAdd editOp = iota + 1
	opMove
	opDeactivate
)

// AddUnit adds u to the org; its Parent (and earlier parents) must exist.
func AddUnit(u Unit) OrgEdit {
	u.Earlier = cloneTenures(u.Earlier)
	return OrgEdit{op: opAdd, unit: u, id: u.ID, parent: u.Parent}
}

// MoveUnit puts unit id under parent ("" makes it a root) from day from
// on: facts dated before from keep counting for its earlier parents, facts
// on or after it for the new one. Moves the unit had planned on or after
// from are replaced.
func MoveUnit(id, parent string, from date.Date) OrgEdit {
	return OrgEdit{op: opMove, id: id, parent: parent, from: from}
}

// DeactivateUnit ends unit id's activity on day from (it sets ActiveUntil
// to from): it gets no share of targets from then on. Its facts and place
// in the tree are kept.
func DeactivateUnit(id string, from date.Date) OrgEdit {
	return OrgEdit{op: opDeactivate, id: id, from: from}
}

// UnitID returns the ID of the unit the edit adds, moves or deactivates.
func (e OrgEdit) UnitID() string { return e.id }

// NewParent returns the parent the edit puts the unit under and true, for
// AddUnit and MoveUnit; "" and false for DeactivateUnit.
func (e OrgEdit) NewParent() (string, bool) { return e.parent, e.op == opAdd || e.op == opMove }

// String describes the edit, e.g. `move "li" under "south" from 2026-07-01`.
func (e OrgEdit) String() string {
	switch e.op {
	case opAdd:
		return fmt.Sprintf("add %q under %q", e.id, e.parent)
	case opMove:
		return fmt.Sprintf("move %q under %q from %s", e.id, e.parent, e.from)
	case opDeactivate:
		return fmt.Sprintf("deactivate %q from %s", e.id, e.from)
	}
	return "no edit"
}

// ApplyTo returns a copy of units with the edit applied (an added unit
// last). It checks what the edit itself needs — the unit exists (or, for
// AddUnit, does not), the new parent exists — and leaves the tree rules to
// NewOrg: use Org.Apply to get both. Errors are *ValidationError (ErrInvalid)
// or ErrNotFound for an unknown unit.
func (e OrgEdit) ApplyTo(units []Unit) ([]Unit, error) {
	if e.op == 0 {
		return nil, invalid("org edit", "", "it is the zero OrgEdit; make one with AddUnit, MoveUnit or DeactivateUnit")
	}
	at, hasParent := -1, e.parent == ""
	for i, u := range units {
		if u.ID == e.id {
			at = i
		}
		if u.ID == e.parent {
			hasParent = true
		}
	}
	if !hasParent {
		return nil, invalid("org edit", e.String(), "parent %q is not among the units; add it first", e.parent)
	}
	out := make([]Unit, len(units), len(units)+1)
	copy(out, units)
	for i := range out {
		out[i].Earlier = cloneTenures(out[i].Earlier)
	}
	if e.op == opAdd {
		if e.id == "" {
			return nil, invalid("org edit", e.String(), "the new unit's ID is empty")
		}
		if at >= 0 {
			return nil, invalid("org edit", e.String(), "a unit with that ID exists; move it with MoveUnit instead")
		}
		return append(out, AddUnit(e.unit).unit), nil
	}
	if at < 0 {
		return nil, fmt.Errorf("goal: %s: unit %q is not in the org: %w", e, e.id, ErrNotFound)
	}
	u := &out[at]
	if e.op == opDeactivate {
		if u.ActiveFrom != 0 && e.from <= u.ActiveFrom {
			return nil, invalid("org edit", e.String(), "the unit only becomes active on %s; deactivate it after that", u.ActiveFrom)
		}
		u.ActiveUntil = e.from
		return out, nil
	}
	if e.id == e.parent {
		return nil, invalid("org edit", e.String(), "a unit cannot be its own parent")
	}
	u.Earlier, u.Parent = movedFrom(*u, e.from, e.parent), e.parent
	return out, nil
}

// movedFrom returns u's earlier parents once it is under parent from day
// from on: the tenures ending by from are kept, the parent u had on the
// day before from lasts until from, and a tenure under parent itself just
// before from merges into the new one.
func movedFrom(u Unit, from date.Date, parent string) []Tenure {
	var out []Tenure
	for _, t := range u.Earlier {
		if t.Until > from {
			break
		}
		out = append(out, t)
	}
	if len(out) == 0 || out[len(out)-1].Until < from {
		out = append(out, Tenure{Parent: u.ParentAt(from - 1), Until: from})
	}
	if out[len(out)-1].Parent == parent {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Apply returns a new org with the edit applied and validated as NewOrg
// validates (a move that would put a unit below itself on any day, or make
// the org deeper than MaxDepth, is refused); o is unchanged. It costs
// O(units) plus NewOrg's checks.
func (o *Org) Apply(e OrgEdit) (*Org, error) {
	units, err := e.ApplyTo(o.units)
	if err != nil {
		return nil, err
	}
	return NewOrg(units)
}
