package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/goalkit/goalkit/storage/internal/record"
)

func (t *tx) CreatePlan(ctx context.Context, p *goal.Plan, audit []storage.AuditEntry) (int64, error) {
	mark := len(t.undo)
	v, err := t.createPlan(ctx, p, audit)
	t.settle(mark, err)
	return v, err
}

func (t *tx) createPlan(ctx context.Context, p *goal.Plan, audit []storage.AuditEntry) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: create plan: %w", err)
	}
	entries, err := record.CheckPlan(p, audit)
	if err != nil {
		return 0, fmt.Errorf("memory: create plan: %w", err)
	}
	kept, err := record.BuildPlan(p, 1)
	if err != nil {
		return 0, fmt.Errorf("memory: create plan %q: %w", p.ID, err)
	}
	if _, ok := t.d.plans[p.ID]; ok {
		return 0, fmt.Errorf("memory: create plan %q: %w", p.ID, storage.ErrDuplicate)
	}
	t.d.plans[p.ID] = kept
	t.onUndo(func() { delete(t.d.plans, p.ID) })
	if err := t.writeAudit(ctx, p.ID, entries); err != nil {
		return 0, fmt.Errorf("memory: create plan %q: %w", p.ID, err)
	}
	return 1, nil
}

func (t *tx) UpdatePlan(ctx context.Context, p *goal.Plan, expected int64, audit []storage.AuditEntry) (int64, error) {
	mark := len(t.undo)
	v, err := t.updatePlan(ctx, p, expected, audit)
	t.settle(mark, err)
	return v, err
}

func (t *tx) updatePlan(ctx context.Context, p *goal.Plan, expected int64, audit []storage.AuditEntry) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: update plan: %w", err)
	}
	entries, err := record.CheckPlan(p, audit)
	if err != nil {
		return 0, fmt.Errorf("memory: update plan: %w", err)
	}
	old, ok := t.d.plans[p.ID]
	if !ok {
		return 0, fmt.Errorf("memory: update plan %q: %w", p.ID, storage.ErrNotFound)
	}
	if old.Version != expected {
		return 0, fmt.Errorf("memory: update plan %q: %w", p.ID, &storage.ConflictError{
			Kind: "plan", Key: p.ID, Reason: fmt.Sprintf("stored version is %d, expected %d; reload and reapply the change", old.Version, expected)})
	}
	kept, err := record.BuildPlan(p, expected+1)
	if err != nil {
		return 0, fmt.Errorf("memory: update plan %q: %w", p.ID, err)
	}
	t.d.plans[p.ID] = kept
	t.onUndo(func() { t.d.plans[p.ID] = old })
	if err := t.writeAudit(ctx, p.ID, entries); err != nil {
		return 0, fmt.Errorf("memory: update plan %q: %w", p.ID, err)
	}
	return expected + 1, nil
}

// writeAudit appends entries after the plan is written.
func (t *tx) writeAudit(ctx context.Context, planID string, entries []storage.AuditEntry) error {
	if err := fault.At(ctx, fault.PlanWritten); err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	prev := t.d.audit[planID]
	next := slices.Clone(prev)
	for _, e := range entries {
		t.s.b.seq++
		e.Seq = t.s.b.seq
		next = append(next, e)
	}
	t.d.audit[planID] = next
	t.onUndo(func() {
		if prev == nil {
			delete(t.d.audit, planID)
		} else {
			t.d.audit[planID] = prev
		}
	})
	return nil
}

func (t *tx) GetPlan(ctx context.Context, id string) (*goal.Plan, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: get plan %q: %w", id, err)
	}
	if err := record.CheckRef("plan", id); err != nil {
		return nil, fmt.Errorf("memory: get plan: %w", err)
	}
	p, ok := t.d.plans[id]
	if !ok {
		return nil, fmt.Errorf("memory: get plan %q: %w", id, storage.ErrNotFound)
	}
	return record.BuildPlan(p, p.Version) // shares the kept plan's index
}

func (t *tx) ListPlans(ctx context.Context) ([]storage.PlanSummary, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list plans: %w", err)
	}
	out := make([]storage.PlanSummary, 0, len(t.d.plans))
	for _, p := range t.d.plans {
		out = append(out, storage.PlanSummary{ID: p.ID, Metric: p.Metric, Version: p.Version, Goals: len(p.Goals)})
	}
	slices.SortFunc(out, func(a, b storage.PlanSummary) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (t *tx) ListAudit(ctx context.Context, planID string) ([]storage.AuditEntry, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list audit of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list audit of plan: %w", err)
	}
	out := slices.Clone(t.d.audit[planID])
	if out == nil {
		out = []storage.AuditEntry{}
	}
	slices.SortStableFunc(out, func(a, b storage.AuditEntry) int { return a.At.Compare(b.At) })
	return out, nil
}
