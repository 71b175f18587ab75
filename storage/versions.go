package storage

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// PlanVersion describes one saved version of a plan: which version, when it
// was saved, by whom and why. The engine records one for every plan write,
// so a plan can be read as it was at any version or at any time since.
type PlanVersion struct {
	Plan    string    // the plan's ID
	Version int64     // the version saved: 1 for the plan as created
	At      time.Time // when it was saved; stored in UTC with microsecond precision
	Actor   string    // who saved it (a user, a job)
	Reason  string    // why
}

// Snapshot is a name given to one saved version of a plan, such as "board
// approved" or "after Q1 re-plan". Names are unique per plan and never
// reused: a snapshot cannot be changed or removed, so it always reads the
// same plan.
type Snapshot struct {
	Plan    string    // the plan's ID
	Name    string    // unique within the plan
	Version int64     // the saved version it names
	At      time.Time // when it was taken
	Actor   string
	Reason  string
}

// Scenario is a what-if copy of a plan, edited apart from the live plan and
// promoted to it (or dropped) later.
type Scenario struct {
	Name string // unique within the plan
	// Plan is the copy: its ID is the live plan's ID. On read its Version
	// is Base; on write it is ignored.
	Plan *goal.Plan
	// Base is the live plan's version the copy was made from: promoting a
	// scenario whose base is no longer the live version is a conflict.
	Base int64
	// Version is the scenario's own optimistic-concurrency version: 0 for
	// a scenario never stored, incremented by every PutScenario.
	Version int64
	At      time.Time // when it was last written
	Actor   string    // who last wrote it
	Reason  string
}

// Versions keeps the saved versions of plans and named snapshots of them.
// Records are immutable: written once, never changed.
type Versions interface {
	// PutPlanVersion records p as saved at version p.Version (at least 1)
	// by v.At, v.Actor and v.Reason; v.Plan and v.Version are ignored (p
	// gives them). A version already recorded for the plan is
	// ErrDuplicate and nothing is written.
	PutPlanVersion(ctx context.Context, v PlanVersion, p *goal.Plan) error
	// GetPlanVersion returns the plan as recorded at version, with its
	// record; ErrNotFound when that version was not recorded.
	GetPlanVersion(ctx context.Context, planID string, version int64) (*goal.Plan, PlanVersion, error)
	// ListPlanVersions returns the plan's recorded versions ordered by
	// version, without their goals; an empty slice for a plan without any.
	ListPlanVersions(ctx context.Context, planID string) ([]PlanVersion, error)
	// PutSnapshot names a recorded version. A name already taken for the
	// plan is ErrDuplicate; a version not recorded is ErrNotFound.
	PutSnapshot(ctx context.Context, s Snapshot) error
	// ListSnapshots returns the plan's snapshots ordered by At, then Name;
	// an empty slice for a plan without any.
	ListSnapshots(ctx context.Context, planID string) ([]Snapshot, error)
	// PrunePlanVersions deletes the plan's versions saved before cutoff
	// (At earlier than cutoff) and returns how many it deleted. It keeps
	// the version in force at cutoff (the highest version saved at or
	// before it) and every version a snapshot names, so the plan read at
	// cutoff or later, and every snapshot, read as before.
	PrunePlanVersions(ctx context.Context, planID string, cutoff time.Time) (int, error)
}

// Scenarios stores what-if copies of plans with optimistic concurrency.
type Scenarios interface {
	// PutScenario writes s (under s.Plan.ID and s.Name) if its stored
	// version equals expected (0: none stored yet) and returns the new
	// version. A mismatch, including an expected 0 for a scenario that
	// exists, is a *ConflictError (Kind "scenario") matching ErrConflict;
	// nothing is written. s.Version is ignored.
	PutScenario(ctx context.Context, s Scenario, expected int64) (version int64, err error)
	// GetScenario returns the plan's scenario with that name, or
	// ErrNotFound.
	GetScenario(ctx context.Context, planID, name string) (Scenario, error)
	// ListScenarios returns the plan's scenarios ordered by name, plans
	// included; an empty slice for a plan without any.
	ListScenarios(ctx context.Context, planID string) ([]Scenario, error)
	// DeleteScenario removes the plan's scenario with that name; an
	// unknown one is ErrNotFound.
	DeleteScenario(ctx context.Context, planID, name string) error
}
