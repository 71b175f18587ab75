package goalkit

import (
	"context"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// PlanReview is a plan's negotiation as stored: the plan, the review built
// on it (states, commitments, Reconcile) and the stored version of each
// unit's negotiation, which is what the unit's next move must expect.
type PlanReview struct {
	Plan *goal.Plan
	*goal.Review
	versions map[string]int64
}

// Version returns the stored version of unit's negotiation: the expected
// version of the next move on it (0 before the first).
func (r PlanReview) Version(unit string) int64 { return r.versions[unit] }

// Review returns the negotiation of the stored plan planID
// (storage.ErrNotFound when there is none).
func (e *Engine) Review(ctx context.Context, planID string) (PlanReview, error) {
	var r PlanReview
	err := e.store.InTx(ctx, func(tx storage.Tx) (err error) {
		r, err = reviewIn(ctx, tx, planID)
		return err
	})
	if err != nil {
		return PlanReview{}, fmt.Errorf("goalkit: review of plan %q: %w", planID, err)
	}
	return r, nil
}

// reviewIn reads the plan and its negotiations through tx.
func reviewIn(ctx context.Context, tx storage.Tx, planID string) (PlanReview, error) {
	p, err := tx.GetPlan(ctx, planID)
	if err != nil {
		return PlanReview{}, err
	}
	stored, err := tx.ListNegotiations(ctx, planID)
	if err != nil {
		return PlanReview{}, err
	}
	ns := make([]goal.Negotiation, len(stored))
	versions := make(map[string]int64, len(stored))
	for i, n := range stored {
		ns[i], versions[n.Unit] = n.Negotiation, n.Version
	}
	r, err := goal.NewReview(p, ns)
	if err != nil {
		return PlanReview{}, err
	}
	return PlanReview{Plan: p, Review: r, versions: versions}, nil
}

// Negotiate makes move m on the stored plan planID as actor by, if the
// unit's negotiation is still at version expected (see PlanReview.Version),
// and returns the unit's negotiation after it. In one transaction it
//
//   - asks the Authorizer whether by may make the move (goal.Commit and
//     goal.AcceptCounter need ActionPropose, goal.Confirm ActionConfirm,
//     the others ActionEdit): a refusal is a *ForbiddenError;
//   - checks the version: another version is a *storage.ConflictError
//     (someone moved first; read the review again);
//   - applies the move by the rules of goal.Review.Apply (a move the state
//     does not allow is a *goal.MoveError matching goal.ErrWrongState);
//   - for goal.Accept and goal.AcceptCounter, sets the agreed figure as the
//     unit's target with goal.Review.Edit in m.Mode, keeping the plan
//     exact and the targets other units settled, and audits the targets
//     that moved (Change: by.ID, the move's reason);
//   - writes every negotiation the move changed and one log entry per unit
//     (Engine.NegotiationLog);
//   - for goal.Open, queues a review request to every unit of the subtree
//     (delivered by Deliver, worded by package messages).
//
// On any error nothing is written.
func (e *Engine) Negotiate(ctx context.Context, planID string, by Actor, m goal.Move, expected int64) (storage.Negotiation, error) {
	var out storage.Negotiation
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		if by.ID == "" {
			return fmt.Errorf("the actor has no ID; say who makes the move: %w", ErrInvalid)
		}
		r, err := reviewIn(ctx, tx, planID)
		if err != nil {
			return err
		}
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		a := Access{Actor: by, Action: actionOf(m.Kind), Plan: planID, Unit: m.Unit, Org: org}
		if err := e.auth.Authorize(ctx, a); err != nil {
			return &ForbiddenError{Actor: by, Action: a.Action, Plan: planID, Unit: m.Unit, Err: err}
		}
		if v := r.Version(m.Unit); v != expected {
			return &storage.ConflictError{Kind: "negotiation", Key: planID + "/" + m.Unit,
				Reason: fmt.Sprintf("stored version is %d, expected %d; read the review again and redo the move", v, expected)}
		}
		changed, edit, err := r.Apply(m)
		if err != nil {
			return err
		}
		reason := m.Reason
		if m.Kind == goal.Commit {
			reason = m.Commitment.Reason
		}
		plan := r.Plan
		if edit != nil {
			if plan, _, err = r.Edit(*edit); err != nil {
				return err
			}
			ch := Change{Actor: by.ID, Reason: fmt.Sprintf("%s %s at %s", m.Kind, m.Unit, edit.Target.StringFixed(plan.Metric.Places))}
			if reason != "" {
				ch.Reason += ": " + reason
			}
			if plan.Version, err = tx.UpdatePlan(ctx, plan, r.Plan.Version, e.audit(r.Plan, plan, ch)); err != nil {
				return err
			}
		}
		at := e.now().UTC()
		records := make([]storage.Negotiation, len(changed))
		events := make([]storage.NegotiationEvent, len(changed))
		for i, n := range changed {
			before, _ := r.Negotiation(n.Unit)
			records[i] = storage.Negotiation{Plan: planID, Negotiation: n, Version: r.Version(n.Unit)}
			events[i] = storage.NegotiationEvent{Plan: planID, Unit: n.Unit, Actor: by.ID, At: at, Move: m.Kind, Before: before, After: n, Reason: reason}
		}
		if err := tx.PutNegotiations(ctx, planID, records, events); err != nil {
			return err
		}
		if m.Kind == goal.Open {
			if err := e.requestReviews(ctx, tx, plan, changed, at); err != nil {
				return err
			}
		}
		out = records[0]
		out.Version++
		return nil
	})
	if err != nil {
		return storage.Negotiation{}, fmt.Errorf("goalkit: %s %q in plan %q: %w", m.Kind, m.Unit, planID, err)
	}
	return out, nil
}

// NegotiationLog returns every move made in the plan's negotiation, ordered
// by time: who made it on which unit, the unit's negotiation before and
// after, and why. Target changes are in the plan's audit
// (Store().ListAudit) with the same actor and time.
func (e *Engine) NegotiationLog(ctx context.Context, planID string) ([]storage.NegotiationEvent, error) {
	events, err := e.store.ListNegotiationEvents(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: negotiation log of plan %q: %w", planID, err)
	}
	return events, nil
}

// ErrLocked is matched by the error of a change to a target that a plan's
// negotiation locked (goal.Lock): nothing was written.
var ErrLocked = errors.New("goalkit: target locked by the plan's negotiation")

// unitOf is the unit of the goal with id in the first of plans that has it
// (a goal an edit added is only in the new plan, one it removed only in the
// old); nil plans are skipped.
func unitOf(id string, plans ...*goal.Plan) (string, bool) {
	for _, p := range plans {
		if p == nil {
			continue
		}
		if g, err := p.Goal(id); err == nil {
			return g.Unit, true
		}
	}
	return "", false
}

// checkLocks refuses a change from old to p that moves a target of a unit
// whose negotiation is locked.
func checkLocks(ctx context.Context, tx storage.Tx, old, p *goal.Plan, changed []storage.AuditEntry) error {
	if len(changed) == 0 {
		return nil
	}
	stored, err := tx.ListNegotiations(ctx, old.ID)
	if err != nil || len(stored) == 0 {
		return err
	}
	locked := map[string]bool{}
	for _, n := range stored {
		locked[n.Unit] = n.State == goal.Locked
	}
	for _, a := range changed {
		if unit, ok := unitOf(a.Goal, old, p); ok && locked[unit] {
			return fmt.Errorf("goal %q of unit %q: the negotiation locked it; targets of locked units do not change: %w", a.Goal, unit, ErrLocked)
		}
	}
	return nil
}
