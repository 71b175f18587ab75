package goalkit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// planCache keeps the plans Evaluate and the status reads read, each at
// its stored version, so that an evaluation reads only the plans that
// changed since the last one and a status reads no goals at all while its
// plan is unchanged: on a SQL store reading every goal of a plan was a
// large share of an evaluation, and nearly all of a Status. A stored plan's version grows with every committed change
// (storage.Plans), so a plan read at the version ListPlans reports is the
// stored plan. The engine never changes a cached plan nor hands it out.
type planCache struct {
	mu   sync.Mutex
	byID map[string]*goal.Plan
}

// planIn returns the plan s summarises, as stored at s.Version: the cached
// one when the engine holds that version, otherwise read from tx (and
// cached when it is the version s names).
func (e *Engine) planIn(ctx context.Context, tx storage.Plans, s storage.PlanSummary) (*goal.Plan, error) {
	c := &e.plans
	c.mu.Lock()
	p := c.byID[s.ID]
	c.mu.Unlock()
	if p != nil && p.Version == s.Version {
		return p, nil
	}
	p, err := tx.GetPlan(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	if p.Version == s.Version {
		c.mu.Lock()
		if c.byID == nil {
			c.byID = map[string]*goal.Plan{}
		}
		c.byID[s.ID] = p
		c.mu.Unlock()
	}
	return p, nil
}

// readPlan returns the stored plan id for reading only (the engine never
// changes it nor hands it out): the cached copy when it is the stored
// version, which costs one ListPlans and no goals, else the plan read and
// cached. An unknown ID matches storage.ErrNotFound.
func (e *Engine) readPlan(ctx context.Context, id string) (*goal.Plan, error) {
	return e.storedPlan(ctx, e.store, id)
}

// storedPlan is readPlan through tx: a plan write reads the plan it
// changes this way, in its own transaction and before it writes (so the
// version it finds is committed, and a rolled-back write leaves nothing in
// the cache), and derives the new plan from a copy.
func (e *Engine) storedPlan(ctx context.Context, tx storage.Plans, id string) (*goal.Plan, error) {
	sums, err := tx.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	i, ok := slices.BinarySearchFunc(sums, id, func(s storage.PlanSummary, id string) int { return strings.Compare(s.ID, id) })
	if !ok {
		return nil, fmt.Errorf("plan %q: %w", goal.Excerpt(id), storage.ErrNotFound)
	}
	return e.planIn(ctx, tx, sums[i])
}
