package txn

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// PutPlanVersion implements storage.Versions.
func (a Auto) PutPlanVersion(ctx context.Context, v storage.PlanVersion, p *goal.Plan) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutPlanVersion(ctx, v, p) })
}

// GetPlanVersion implements storage.Versions.
func (a Auto) GetPlanVersion(ctx context.Context, planID string, version int64) (p *goal.Plan, v storage.PlanVersion, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { p, v, err = t.GetPlanVersion(ctx, planID, version); return err })
	return p, v, err
}

// ListPlanVersions implements storage.Versions.
func (a Auto) ListPlanVersions(ctx context.Context, planID string) (vs []storage.PlanVersion, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { vs, err = t.ListPlanVersions(ctx, planID); return err })
	return vs, err
}

// PutSnapshot implements storage.Versions.
func (a Auto) PutSnapshot(ctx context.Context, s storage.Snapshot) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutSnapshot(ctx, s) })
}

// ListSnapshots implements storage.Versions.
func (a Auto) ListSnapshots(ctx context.Context, planID string) (ss []storage.Snapshot, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ss, err = t.ListSnapshots(ctx, planID); return err })
	return ss, err
}

// PrunePlanVersions implements storage.Versions.
func (a Auto) PrunePlanVersions(ctx context.Context, planID string, cutoff time.Time) (n int, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { n, err = t.PrunePlanVersions(ctx, planID, cutoff); return err })
	return n, err
}

// PutScenario implements storage.Scenarios.
func (a Auto) PutScenario(ctx context.Context, s storage.Scenario, expected int64) (v int64, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { v, err = t.PutScenario(ctx, s, expected); return err })
	return v, err
}

// GetScenario implements storage.Scenarios.
func (a Auto) GetScenario(ctx context.Context, planID, name string) (s storage.Scenario, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { s, err = t.GetScenario(ctx, planID, name); return err })
	return s, err
}

// ListScenarios implements storage.Scenarios.
func (a Auto) ListScenarios(ctx context.Context, planID string) (ss []storage.Scenario, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ss, err = t.ListScenarios(ctx, planID); return err })
	return ss, err
}

// DeleteScenario implements storage.Scenarios.
func (a Auto) DeleteScenario(ctx context.Context, planID, name string) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.DeleteScenario(ctx, planID, name) })
}
