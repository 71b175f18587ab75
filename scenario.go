package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// NewScenario copies the plan's live version into a what-if scenario named
// name, to edit (EditScenario, SaveScenario), compare with the live plan
// (CompareScenario) and promote (PromoteScenario) or drop (DropScenario).
// The live plan is not touched until the scenario is promoted. A name
// already used for the plan is a *storage.ConflictError.
func (e *Engine) NewScenario(ctx context.Context, planID, name string, ch Change) (storage.Scenario, error) {
	var out storage.Scenario
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		live, err := tx.GetPlan(ctx, planID)
		if err != nil {
			return err
		}
		s := storage.Scenario{Name: name, Plan: live, Base: live.Version, At: e.now().UTC(), Actor: ch.Actor, Reason: ch.Reason}
		if s.Version, err = tx.PutScenario(ctx, s, 0); err != nil {
			return err
		}
		out = s
		return nil
	})
	if err != nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: new scenario %q of plan %q: %w", name, planID, err)
	}
	return out, nil
}

// Scenario returns the plan's scenario with that name (storage.ErrNotFound
// when there is none).
func (e *Engine) Scenario(ctx context.Context, planID, name string) (storage.Scenario, error) {
	s, err := e.store.GetScenario(ctx, planID, name)
	if err != nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: scenario %q of plan %q: %w", name, planID, err)
	}
	return s, nil
}

// Scenarios returns the plan's scenarios, ordered by name.
func (e *Engine) Scenarios(ctx context.Context, planID string) ([]storage.Scenario, error) {
	ss, err := e.store.ListScenarios(ctx, planID)
	if err != nil {
		return nil, fmt.Errorf("goalkit: scenarios of plan %q: %w", planID, err)
	}
	return ss, nil
}

// SaveScenario stores s.Plan as the host edited it (with Plan.SetTarget,
// goal.EditTarget or by hand) if the stored scenario is still at s.Version
// (a *storage.ConflictError otherwise: read it again and reapply). The
// scenario keeps the base it was copied from; s.Base is ignored. It returns
// the scenario as stored.
func (e *Engine) SaveScenario(ctx context.Context, s storage.Scenario, ch Change) (storage.Scenario, error) {
	if s.Plan == nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: save scenario %q: the plan is nil; edit the plan of a scenario read with Scenario: %w", s.Name, ErrInvalid)
	}
	if err := e.checkMetric(s.Plan.Metric); err != nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: save scenario %q of plan %q: %w", s.Name, s.Plan.ID, err)
	}
	var out storage.Scenario
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		stored, err := tx.GetScenario(ctx, s.Plan.ID, s.Name)
		if err != nil {
			return err
		}
		next := storage.Scenario{Name: s.Name, Plan: s.Plan, Base: stored.Base, At: e.now().UTC(), Actor: ch.Actor, Reason: ch.Reason}
		if next.Version, err = tx.PutScenario(ctx, next, s.Version); err != nil {
			return err
		}
		out = next
		return nil
	})
	if err != nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: save scenario %q of plan %q: %w", s.Name, s.Plan.ID, err)
	}
	out.Plan, err = out.Plan.Clone()
	if err != nil {
		return storage.Scenario{}, fmt.Errorf("goalkit: save scenario %q of plan %q: %w", s.Name, s.Plan.ID, err)
	}
	out.Plan.Version = out.Base
	return out, nil
}

// EditScenario applies one edit (goal.EditTarget: re-balance the siblings or
// roll the change up) to the scenario's plan if the scenario is still at
// version expected, and returns the stored scenario and the IDs of the
// goals whose target changed. The live plan is not touched.
func (e *Engine) EditScenario(ctx context.Context, planID, name string, edit goal.Edit, expected int64, ch Change) (storage.Scenario, []string, error) {
	s, err := e.Scenario(ctx, planID, name)
	if err != nil {
		return storage.Scenario{}, nil, err
	}
	p, changed, err := goal.EditTarget(s.Plan, edit)
	if err != nil {
		return storage.Scenario{}, nil, fmt.Errorf("goalkit: edit scenario %q of plan %q: %w", name, planID, err)
	}
	s.Plan, s.Version = p, expected
	if s, err = e.SaveScenario(ctx, s, ch); err != nil {
		return storage.Scenario{}, nil, err
	}
	return s, changed, nil
}

// CompareScenario returns how the scenario differs from the live plan
// (goal.Diff of the live plan and the scenario): the targets promoting it
// would move.
func (e *Engine) CompareScenario(ctx context.Context, planID, name string) ([]goal.TargetChange, error) {
	var out []goal.TargetChange
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		live, s, err := liveAndScenario(ctx, tx, planID, name)
		if err != nil {
			return err
		}
		out, err = goal.Diff(live, s.Plan)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("goalkit: compare scenario %q with plan %q: %w", name, planID, err)
	}
	return out, nil
}

// liveAndScenario reads the live plan and its scenario with that name.
func liveAndScenario(ctx context.Context, tx storage.Tx, planID, name string) (*goal.Plan, storage.Scenario, error) {
	live, err := tx.GetPlan(ctx, planID)
	if err != nil {
		return nil, storage.Scenario{}, err
	}
	s, err := tx.GetScenario(ctx, planID, name)
	return live, s, err
}

// PromoteScenario makes the scenario the live plan's next version, audited
// and recorded like any save by ch, and removes the scenario, all in one
// transaction. A scenario copied from a version that is no longer the live
// one is a *storage.ConflictError (Kind "scenario") and nothing is
// written: compare it again and copy the live plan anew, since promoting
// would undo the changes saved since.
func (e *Engine) PromoteScenario(ctx context.Context, planID, name string, ch Change) (*goal.Plan, error) {
	var out *goal.Plan
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		live, s, err := liveAndScenario(ctx, tx, planID, name)
		if err != nil {
			return err
		}
		if s.Base != live.Version {
			return &storage.ConflictError{Kind: "scenario", Key: planID + "/" + name, Reason: fmt.Sprintf(
				"it was copied from version %d of the plan, which is at version %d now; compare it (CompareScenario), then copy the live plan anew (NewScenario) or drop it (DropScenario)",
				s.Base, live.Version)}
		}
		if err := e.checkMetric(s.Plan.Metric); err != nil {
			return err
		}
		p := s.Plan
		changes := e.audit(live, p, ch)
		if err := e.authorizeEdits(ctx, tx, live, p, ch, changes); err != nil {
			return err
		}
		if p.Version, err = tx.UpdatePlan(ctx, p, live.Version, changes); err != nil {
			return err
		}
		if err := e.keepVersion(ctx, tx, p, ch); err != nil {
			return err
		}
		out = p
		return tx.DeleteScenario(ctx, planID, name)
	})
	if err != nil {
		return nil, fmt.Errorf("goalkit: promote scenario %q of plan %q: %w", name, planID, err)
	}
	return out, nil
}

// DropScenario removes the plan's scenario with that name
// (storage.ErrNotFound when there is none).
func (e *Engine) DropScenario(ctx context.Context, planID, name string) error {
	if err := e.store.DeleteScenario(ctx, planID, name); err != nil {
		return fmt.Errorf("goalkit: drop scenario %q of plan %q: %w", name, planID, err)
	}
	return nil
}
