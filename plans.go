package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Change says who makes a change to targets and why; it goes into the
// audit log with every target it touches.
type Change struct {
	Actor  string // a user or a job, e.g. "alice@acme" or "nightly-replan"
	Reason string // e.g. "FY2026 plan approved by the board"
	// Unbalanced accepts, in SavePlan and SetTarget, a plan whose children
	// do not sum to their parents (goal.Plan.Check). Without it such a
	// save is refused with an *UnbalancedError; with it every new
	// discrepancy is recorded in the audit (an entry on the parent whose
	// reason says what does not add up) and logged as a warning.
	// Discrepancies the stored plan had already are not new.
	Unbalanced bool
	// By, when set, is the actor making the change, and the engine's
	// Authorizer (Config.Authorizer) decides whether By may edit the
	// targets of every unit whose goals the change creates, moves or
	// removes (ActionEdit); a refusal is a *ForbiddenError and nothing is
	// written. Nil leaves authorization to the host, as for a job. The
	// audit names By.ID when Actor is empty.
	By *Actor
}

// Decompose builds a plan from spec over the engine's org and calendar (see
// goal.Decompose) and stores it with one audit entry per goal, all or
// nothing. A plan ID already stored fails with storage.ErrDuplicate.
func (e *Engine) Decompose(ctx context.Context, spec goal.Spec, ch Change) (*goal.Plan, error) {
	if err := e.checkMetric(spec.Metric); err != nil {
		return nil, fmt.Errorf("goalkit: decompose %q: %w", spec.PlanID, err)
	}
	var p *goal.Plan
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		if p, err = goal.Decompose(org, e.cal, spec); err != nil {
			return err
		}
		changes := e.audit(nil, p, ch)
		if err := e.authorizeEdits(ctx, tx, nil, p, ch, changes); err != nil {
			return err
		}
		if p.Version, err = tx.CreatePlan(ctx, p, changes); err != nil {
			return err
		}
		return e.keepVersion(ctx, tx, p, ch)
	})
	if err != nil {
		return nil, fmt.Errorf("goalkit: decompose %q: %w", spec.PlanID, err)
	}
	return p, nil
}

// SavePlan stores a plan the host built itself (with goal.NewPlan): a new
// one when its Version is 0, otherwise an update that fails with
// storage.ErrConflict unless the stored version is still p.Version. Every
// target that changed is audited, and the saved version is recorded (see
// PlanVersion). A plan whose children do not sum to their parents is
// refused with an *UnbalancedError unless ch.Unbalanced accepts it, and a
// change to a target of a unit the plan's negotiation locked with
// ErrLocked. It returns the stored plan's new version.
func (e *Engine) SavePlan(ctx context.Context, p *goal.Plan, ch Change) (int64, error) {
	if err := e.checkMetric(p.Metric); err != nil {
		return 0, fmt.Errorf("goalkit: save plan %q: %w", p.ID, err)
	}
	var v int64
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		var err error
		if p.Version == 0 {
			accepted, err := e.checkBalance(nil, p, ch)
			if err != nil {
				return err
			}
			changes := e.audit(nil, p, ch)
			if err := e.authorizeEdits(ctx, tx, nil, p, ch, changes); err != nil {
				return err
			}
			if v, err = tx.CreatePlan(ctx, p, append(changes, accepted...)); err != nil {
				return err
			}
		} else {
			var old *goal.Plan
			if old, err = e.storedPlan(ctx, tx, p.ID); err != nil {
				return err
			}
			if v, err = e.updatePlan(ctx, tx, old, p, p.Version, ch, true); err != nil {
				return err
			}
		}
		saved := *p
		saved.Version = v
		return e.keepVersion(ctx, tx, &saved, ch)
	})
	if err != nil {
		return 0, fmt.Errorf("goalkit: save plan %q: %w", p.ID, err)
	}
	return v, nil
}

// Plan returns the stored plan with the given ID (storage.ErrNotFound when
// there is none), the caller's own copy: of the engine's cached plan while
// that is the stored version, so reading an unchanged plan reads no goals.
func (e *Engine) Plan(ctx context.Context, id string) (*goal.Plan, error) {
	p, err := e.readPlan(ctx, id)
	if err == nil {
		p, err = p.Clone()
	}
	if err != nil {
		return nil, fmt.Errorf("goalkit: plan %q: %w", id, err)
	}
	return p, nil
}

// SetTarget changes one goal's target by hand, as a manager edits a cell,
// if the plan is still at version expected (storage.ErrConflict otherwise:
// someone else changed it; reload and retry). Parents and siblings are left
// alone, so the plan no longer adds up: that is refused with an
// *UnbalancedError unless ch.Unbalanced accepts it, and then recorded (see
// Change). To keep the plan exact, edit it with goal.EditTarget and
// SavePlan. A goal of a unit the plan's negotiation locked is ErrLocked.
func (e *Engine) SetTarget(ctx context.Context, planID, goalID string, target decimal.Decimal, expected int64, ch Change) (*goal.Plan, error) {
	var out *goal.Plan
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		old, err := e.storedPlan(ctx, tx, planID)
		if err != nil {
			return err
		}
		p, err := goal.NewPlan(old.ID, old.Metric, old.Goals)
		if err != nil {
			return err
		}
		if err := p.SetTarget(goalID, target); err != nil {
			return err
		}
		if p.Version, err = e.updatePlan(ctx, tx, old, p, expected, ch, true); err != nil {
			return err
		}
		out = p
		return e.keepVersion(ctx, tx, p, ch)
	})
	if err != nil {
		return nil, fmt.Errorf("goalkit: set target of %q in plan %q: %w", goalID, planID, err)
	}
	return out, nil
}

// Replan re-plans the stored plan as of asOf (see goal.Replan), as Status
// and Evaluate take the day: periods that ended before asOf keep their
// targets, and with goal.CatchUp the gap their actuals left is spread over
// the open periods. The actuals are read from the store. The new plan is
// stored, audited, and returned with the re-planning reports. A plan whose
// negotiation locked a unit whose targets re-planning would move is
// ErrLocked. Pass Engine.Today for the engine clock's day.
func (e *Engine) Replan(ctx context.Context, planID string, asOf date.Date, mode goal.ReplanMode, ch Change) (*goal.Plan, []goal.ReplanReport, error) {
	var (
		out     *goal.Plan
		reports []goal.ReplanReport
	)
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		old, err := e.storedPlan(ctx, tx, planID)
		if err != nil {
			return err
		}
		var closed []goal.Goal
		for _, g := range old.Goals {
			if g.Period.End <= asOf {
				closed = append(closed, g)
			}
		}
		actuals, err := e.actuals(ctx, tx, closed, asOf)
		if err != nil {
			return err
		}
		byID := make(map[string]decimal.Decimal, len(closed))
		for i, g := range closed {
			byID[g.ID] = actuals[i]
		}
		p, reps, err := goal.Replan(old, goal.ReplanSpec{AsOf: asOf, Mode: mode, Actuals: byID, Calendar: e.cal})
		if err != nil {
			return err
		}
		if p.Version, err = e.updatePlan(ctx, tx, old, p, old.Version, ch, false); err != nil {
			return err
		}
		out, reports = p, reps
		return e.keepVersion(ctx, tx, p, ch)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("goalkit: replan %q as of %s: %w", planID, asOf, err)
	}
	return out, reports, nil
}

// updatePlan writes p over old, if the stored plan is still at expected:
// it checks that p adds up (when balanced asks; a re-plan's parents hold
// closed actuals plus open targets, see goal.Replan), audits the targets
// that changed, asks the Authorizer (Change.By), refuses to move locked
// units' targets, and returns the new version.
func (e *Engine) updatePlan(ctx context.Context, tx storage.Tx, old, p *goal.Plan, expected int64, ch Change, balanced bool) (int64, error) {
	var accepted []storage.AuditEntry
	if balanced {
		var err error
		if accepted, err = e.checkBalanceAt(old, p, expected, ch); err != nil {
			return 0, err
		}
	}
	changes := e.audit(old, p, ch)
	if err := e.authorizeEdits(ctx, tx, old, p, ch, changes); err != nil {
		return 0, err
	}
	if err := checkLocks(ctx, tx, old, p, changes); err != nil {
		return 0, err
	}
	return tx.UpdatePlan(ctx, p, expected, append(changes, accepted...))
}

// audit returns one entry per goal of p whose target differs from old (or
// every goal when old is nil), and one per goal of old that p dropped.
func (e *Engine) audit(old, p *goal.Plan, ch Change) []storage.AuditEntry {
	at := e.now().UTC()
	if ch.Actor == "" && ch.By != nil {
		ch.Actor = ch.By.ID
	}
	before := map[string]decimal.Decimal{}
	if old != nil {
		for _, g := range old.Goals {
			before[g.ID] = g.Target
		}
	}
	var out []storage.AuditEntry
	for _, g := range p.Goals {
		prev, had := before[g.ID]
		delete(before, g.ID)
		if had && prev.Equal(g.Target) {
			continue
		}
		entry := storage.AuditEntry{Plan: p.ID, Goal: g.ID, Actor: ch.Actor, At: at, New: decimal.NewNullDecimal(g.Target), Reason: ch.Reason}
		if had {
			entry.Old = decimal.NewNullDecimal(prev)
		}
		out = append(out, entry)
	}
	if old != nil {
		for _, g := range old.Goals {
			if prev, dropped := before[g.ID]; dropped {
				out = append(out, storage.AuditEntry{Plan: p.ID, Goal: g.ID, Actor: ch.Actor, At: at, Old: decimal.NewNullDecimal(prev), Reason: ch.Reason})
			}
		}
	}
	return out
}

// checkMetric reports whether m is one of the engine's metrics, with the
// same kind, currency, places and direction (the name may differ).
func (e *Engine) checkMetric(m goal.Metric) error {
	known, ok := e.metrics[m.Key]
	if !ok {
		return fmt.Errorf("metric %q is not configured; add it to Config.Metrics: %w", m.Key, ErrInvalid)
	}
	if known.Kind != m.Kind || known.Currency != m.Currency || known.Places != m.Places || known.Direction != m.Direction {
		return fmt.Errorf("metric %q (%s %s, %d places, %s) differs from the configured one (%s %s, %d places, %s); use Engine.Metric(%q): %w",
			m.Key, m.Kind, m.Currency, m.Places, m.Direction, known.Kind, known.Currency, known.Places, known.Direction, m.Key, ErrInvalid)
	}
	return nil
}
