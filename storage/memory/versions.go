package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// history is a tenant's saved plan versions, snapshots and scenarios, by
// plan ID. Its maps are made on first write.
type history struct {
	versions  map[string]map[int64]keptVersion
	snapshots map[string][]storage.Snapshot
	scenarios map[string]map[string]storage.Scenario
}

// keptVersion is one recorded version: its record and its own plan.
type keptVersion struct {
	rec  storage.PlanVersion
	plan *goal.Plan
}

func (t *tx) PutPlanVersion(ctx context.Context, v storage.PlanVersion, p *goal.Plan) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put plan version: %w", err)
	}
	rec, kept, err := record.CheckPlanVersion(v, p)
	if err != nil {
		return fmt.Errorf("memory: put plan version: %w", err)
	}
	h := &t.d.history
	if _, ok := h.versions[rec.Plan][rec.Version]; ok {
		return fmt.Errorf("memory: put plan version %d of %q: it is recorded already: %w", rec.Version, rec.Plan, storage.ErrDuplicate)
	}
	if h.versions == nil {
		h.versions = map[string]map[int64]keptVersion{}
	}
	if h.versions[rec.Plan] == nil {
		h.versions[rec.Plan] = map[int64]keptVersion{}
	}
	h.versions[rec.Plan][rec.Version] = keptVersion{rec: rec, plan: kept}
	t.onUndo(func() { delete(h.versions[rec.Plan], rec.Version) })
	return nil
}

func (t *tx) GetPlanVersion(ctx context.Context, planID string, version int64) (*goal.Plan, storage.PlanVersion, error) {
	if err := t.check(ctx); err != nil {
		return nil, storage.PlanVersion{}, fmt.Errorf("memory: get version %d of plan %q: %w", version, planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, storage.PlanVersion{}, fmt.Errorf("memory: get plan version: %w", err)
	}
	k, ok := t.d.history.versions[planID][version]
	if !ok {
		return nil, storage.PlanVersion{}, fmt.Errorf("memory: get version %d of plan %q: %w", version, planID, storage.ErrNotFound)
	}
	p, err := record.BuildPlan(k.plan, version)
	if err != nil {
		return nil, storage.PlanVersion{}, fmt.Errorf("memory: get version %d of plan %q: %w", version, planID, err)
	}
	return p, k.rec, nil
}

func (t *tx) ListPlanVersions(ctx context.Context, planID string) ([]storage.PlanVersion, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list versions of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list plan versions: %w", err)
	}
	out := []storage.PlanVersion{}
	for _, k := range t.d.history.versions[planID] {
		out = append(out, k.rec)
	}
	slices.SortFunc(out, func(a, b storage.PlanVersion) int { return cmp.Compare(a.Version, b.Version) })
	return out, nil
}

func (t *tx) PutSnapshot(ctx context.Context, s storage.Snapshot) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put snapshot: %w", err)
	}
	s, err := record.CheckSnapshot(s)
	if err != nil {
		return fmt.Errorf("memory: put snapshot: %w", err)
	}
	h := &t.d.history
	if _, ok := h.versions[s.Plan][s.Version]; !ok {
		return fmt.Errorf("memory: put snapshot %q of plan %q: version %d is not recorded: %w", s.Name, s.Plan, s.Version, storage.ErrNotFound)
	}
	prev := h.snapshots[s.Plan]
	if slices.ContainsFunc(prev, func(o storage.Snapshot) bool { return o.Name == s.Name }) {
		return fmt.Errorf("memory: put snapshot %q of plan %q: the name is taken: %w", s.Name, s.Plan, storage.ErrDuplicate)
	}
	if h.snapshots == nil {
		h.snapshots = map[string][]storage.Snapshot{}
	}
	h.snapshots[s.Plan] = append(slices.Clip(prev), s)
	t.onUndo(func() { h.snapshots[s.Plan] = prev })
	return nil
}

func (t *tx) ListSnapshots(ctx context.Context, planID string) ([]storage.Snapshot, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list snapshots of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list snapshots: %w", err)
	}
	out := append([]storage.Snapshot{}, t.d.history.snapshots[planID]...)
	slices.SortFunc(out, func(a, b storage.Snapshot) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

func (t *tx) PrunePlanVersions(ctx context.Context, planID string, cutoff time.Time) (int, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: prune versions of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return 0, fmt.Errorf("memory: prune plan versions: %w", err)
	}
	cutoff = record.Time(cutoff)
	byVersion := t.d.history.versions[planID]
	var inForce int64
	for v, k := range byVersion {
		if !k.rec.At.After(cutoff) {
			inForce = max(inForce, v)
		}
	}
	named := map[int64]bool{inForce: true}
	for _, s := range t.d.history.snapshots[planID] {
		named[s.Version] = true
	}
	n := 0
	for v, k := range byVersion {
		if k.rec.At.Before(cutoff) && !named[v] {
			delete(byVersion, v)
			t.onUndo(func() { byVersion[v] = k })
			n++
		}
	}
	return n, nil
}

func (t *tx) PutScenario(ctx context.Context, s storage.Scenario, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: put scenario: %w", err)
	}
	s, err := record.CheckScenario(s)
	if err != nil {
		return 0, fmt.Errorf("memory: put scenario: %w", err)
	}
	h, planID := &t.d.history, s.Plan.ID
	old, ok := h.scenarios[planID][s.Name]
	if old.Version != expected {
		return 0, fmt.Errorf("memory: put scenario %q of plan %q: %w", s.Name, planID, record.ScenarioConflict(planID, s.Name, old.Version, expected))
	}
	if h.scenarios == nil {
		h.scenarios = map[string]map[string]storage.Scenario{}
	}
	if h.scenarios[planID] == nil {
		h.scenarios[planID] = map[string]storage.Scenario{}
	}
	s.Version = expected + 1
	h.scenarios[planID][s.Name] = s
	t.onUndo(func() {
		if ok {
			h.scenarios[planID][s.Name] = old
		} else {
			delete(h.scenarios[planID], s.Name)
		}
	})
	return s.Version, nil
}

func (t *tx) GetScenario(ctx context.Context, planID, name string) (storage.Scenario, error) {
	if err := t.check(ctx); err != nil {
		return storage.Scenario{}, fmt.Errorf("memory: get scenario %q of plan %q: %w", name, planID, err)
	}
	if err := errors.Join(record.CheckRef("plan", planID), record.CheckRef("scenario", name)); err != nil {
		return storage.Scenario{}, fmt.Errorf("memory: get scenario: %w", err)
	}
	s, ok := t.d.history.scenarios[planID][name]
	if !ok {
		return storage.Scenario{}, fmt.Errorf("memory: get scenario %q of plan %q: %w", name, planID, storage.ErrNotFound)
	}
	return record.CloneScenario(s)
}

func (t *tx) ListScenarios(ctx context.Context, planID string) ([]storage.Scenario, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list scenarios of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list scenarios: %w", err)
	}
	byName := t.d.history.scenarios[planID]
	out := make([]storage.Scenario, 0, len(byName))
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		s, err := record.CloneScenario(byName[name])
		if err != nil {
			return nil, fmt.Errorf("memory: list scenarios of plan %q: %w", planID, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (t *tx) DeleteScenario(ctx context.Context, planID, name string) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: delete scenario %q of plan %q: %w", name, planID, err)
	}
	if err := errors.Join(record.CheckRef("plan", planID), record.CheckRef("scenario", name)); err != nil {
		return fmt.Errorf("memory: delete scenario: %w", err)
	}
	byName := t.d.history.scenarios[planID]
	old, ok := byName[name]
	if !ok {
		return fmt.Errorf("memory: delete scenario %q of plan %q: %w", name, planID, storage.ErrNotFound)
	}
	delete(byName, name)
	t.onUndo(func() { byName[name] = old })
	return nil
}
