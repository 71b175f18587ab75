package goalkit

import (
	"context"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// ErrForbidden is matched by *ForbiddenError: the Authorizer refused an
// action, and nothing was written.
var ErrForbidden = errors.New("goalkit: action not allowed")

// Actor is who makes a move in a plan's negotiation: a person or job (ID,
// written to the log) and the org unit they manage or belong to (Unit),
// which is what authorization looks at. A director manages the company
// unit, a regional manager the region, a rep belongs to their own unit.
type Actor struct {
	ID   string // e.g. "wang@acme"
	Unit string // e.g. "east"
}

// Action is what an Authorizer is asked to allow on a unit's targets.
type Action uint8

const (
	// ActionPropose: submit a commitment for the unit (goal.Commit) or
	// accept a counter-proposal made to it (goal.AcceptCounter).
	ActionPropose Action = iota + 1
	// ActionConfirm: confirm the unit's target (goal.Confirm).
	ActionConfirm
	// ActionEdit: set the unit's target: open a review round on it
	// (goal.Open), answer its commitment (goal.Accept, goal.Reject,
	// goal.Counter) or lock it (goal.Lock); and, for a Change whose By is
	// set, create, move or remove its targets in Decompose, SavePlan,
	// SetTarget, Replan or PromoteScenario.
	ActionEdit
)

var actionNames = []string{"", "propose", "confirm", "edit"}

// String returns "propose", "confirm" or "edit".
func (a Action) String() string {
	if int(a) < len(actionNames) && a != 0 {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// actionOf is the action a move needs.
func actionOf(k goal.MoveKind) Action {
	switch k {
	case goal.Commit, goal.AcceptCounter:
		return ActionPropose
	case goal.Confirm:
		return ActionConfirm
	}
	return ActionEdit
}

// Access is what an Authorizer decides on: may Actor do Action on the
// targets of Unit in Plan? Org is the engine's current org, to read only.
type Access struct {
	Actor  Actor
	Action Action
	Plan   string
	Unit   string
	Org    *goal.Org
}

// Authorizer decides whether an actor may propose, confirm or edit a unit's
// targets. Authorize returns nil to allow, or an error saying why not (the
// engine wraps it in a *ForbiddenError). It is called inside the move's (or
// the edit's) transaction, so it should be quick and must not use the
// engine.
type Authorizer interface {
	Authorize(ctx context.Context, a Access) error
}

// AuthorizerFunc adapts a function to the Authorizer interface.
type AuthorizerFunc func(ctx context.Context, a Access) error

// Authorize calls f(ctx, a).
func (f AuthorizerFunc) Authorize(ctx context.Context, a Access) error { return f(ctx, a) }

// ManagerAuthorizer is the Authorizer of a Config that sets none: a manager
// for their subtree. An actor may propose and confirm for their own unit
// and every unit below it, and edit the targets of the units below it; the
// targets of a top unit (one without a parent) are edited by its own
// manager. An actor whose unit is not in the org may do nothing.
type ManagerAuthorizer struct{}

// Authorize applies ManagerAuthorizer's rule.
func (ManagerAuthorizer) Authorize(_ context.Context, a Access) error {
	if a.Org == nil {
		return errors.New("no org is stored")
	}
	actor, err := a.Org.Unit(a.Actor.Unit)
	if err != nil {
		return fmt.Errorf("the actor's unit %q is not in the org", a.Actor.Unit)
	}
	below := a.Org.IsAncestor(actor.ID, a.Unit)
	own := actor.ID == a.Unit
	switch {
	case below, own && a.Action != ActionEdit, own && actor.Parent == "":
		return nil
	case own:
		return fmt.Errorf("%q's targets are set by the manager of %q", a.Unit, actor.Parent)
	}
	return fmt.Errorf("%q is outside %q's subtree", a.Unit, actor.ID)
}

// ForbiddenError says which action the Authorizer refused to whom, and
// why. It matches ErrForbidden.
type ForbiddenError struct {
	Actor  Actor
	Action Action
	Plan   string
	Unit   string
	Err    error // the Authorizer's reason
}

// Error says what was wrong and what to do.
func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("goalkit: %s (unit %q) may not %s the targets of %q in plan %q: %v", e.Actor.ID, e.Actor.Unit, e.Action, e.Unit, e.Plan, e.Err)
}

// Unwrap makes a ForbiddenError match ErrForbidden and the Authorizer's
// own error.
func (e *ForbiddenError) Unwrap() []error { return []error{ErrForbidden, e.Err} }

// authorizeEdits asks the Authorizer, when ch.By is set, whether ch.By may
// edit the targets of each unit whose goals changes (the audit of old → p)
// touch, once a unit.
func (e *Engine) authorizeEdits(ctx context.Context, tx storage.Tx, old, p *goal.Plan, ch Change, changes []storage.AuditEntry) error {
	if ch.By == nil || len(changes) == 0 {
		return nil
	}
	org, err := e.orgIn(ctx, tx)
	if err != nil {
		return err
	}
	asked := map[string]bool{}
	for _, c := range changes {
		unit, ok := unitOf(c.Goal, p, old)
		if !ok || asked[unit] {
			continue
		}
		asked[unit] = true
		a := Access{Actor: *ch.By, Action: ActionEdit, Plan: p.ID, Unit: unit, Org: org}
		if err := e.auth.Authorize(ctx, a); err != nil {
			return &ForbiddenError{Actor: *ch.By, Action: ActionEdit, Plan: p.ID, Unit: unit, Err: err}
		}
	}
	return nil
}
