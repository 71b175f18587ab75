package goalkit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// TestChangeByIsAuthorized: a Change that names its actor (By) is put to
// the Authorizer for every unit whose targets it moves, in every plan
// write; a refusal is a *ForbiddenError and writes nothing, and a Change
// without By is the host's to authorize, as before.
func TestChangeByIsAuthorized(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		p := f.fyPlan(t)
		liFY := goal.GoalID("revenue", "li", f.period(t, "2026"))
		south := goalkit.Actor{ID: "qian@acme", Unit: "south"}
		audit, err := f.store.ListAudit(f.ctx, "fy")
		require.NoError(t, err)

		for _, by := range []goalkit.Actor{li, south} {
			_, err := f.engine.SetTarget(f.ctx, "fy", liFY, dec("350.00"), p.Version, goalkit.Change{By: &by, Unbalanced: true})
			var forbidden *goalkit.ForbiddenError
			require.ErrorAs(t, err, &forbidden, "%s may not edit li's targets", by.ID)
			require.ErrorIs(t, err, goalkit.ErrForbidden)
			require.Equal(t, goalkit.ActionEdit, forbidden.Action)
			require.Equal(t, "li", forbidden.Unit)
			require.Equal(t, by, forbidden.Actor)
		}
		_, _, err = f.engine.Replan(f.ctx, "fy", day("2026-04-01"), goal.CatchUp, goalkit.Change{By: &li})
		require.ErrorIs(t, err, goalkit.ErrForbidden, "a rep may not re-plan the company")
		_, err = f.engine.Decompose(f.ctx, goal.Spec{PlanID: "fy2", Metric: revenue, Unit: "acme", Period: f.period(t, "2026"),
			Target: dec("100.00"), Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter}}}, goalkit.Change{By: &north})
		require.ErrorIs(t, err, goalkit.ErrForbidden, "north's manager may not set the company's target")

		stored, err := f.engine.Plan(f.ctx, "fy")
		require.NoError(t, err)
		require.Equal(t, p.Version, stored.Version, "nothing is written")
		after, err := f.store.ListAudit(f.ctx, "fy")
		require.NoError(t, err)
		require.Len(t, after, len(audit), "nothing is audited")
		_, err = f.engine.Plan(f.ctx, "fy2")
		require.ErrorIs(t, err, storage.ErrNotFound)

		edited, err := f.engine.SetTarget(f.ctx, "fy", liFY, dec("350.00"), p.Version, goalkit.Change{By: &north, Reason: "li takes Hengda", Unbalanced: true})
		require.NoError(t, err, "north's manager edits li's targets")
		after, err = f.store.ListAudit(f.ctx, "fy")
		require.NoError(t, err)
		require.Equal(t, north.ID, after[len(audit)].Actor, "the audit names By when Actor is empty")
		_, err = f.engine.Decompose(f.ctx, goal.Spec{PlanID: "fy2", Metric: revenue, Unit: "acme", Period: f.period(t, "2026"),
			Target: dec("100.00"), Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter}}}, goalkit.Change{By: &ceo})
		require.NoError(t, err, "the company's manager sets its target")
		_, err = f.engine.SetTarget(f.ctx, "fy", liFY, dec("360.00"), edited.Version, goalkit.Change{Actor: "nightly-job", Unbalanced: true})
		require.NoError(t, err, "without By the host authorized the change")
	})
}

// TestChangeByAsksTheHostsAuthorizer: Config.Authorizer replaces the
// manager rule for plan writes too; SavePlan of a changed plan is refused
// as a whole.
func TestChangeByAsksTheHostsAuthorizer(t *testing.T) {
	var asked []goalkit.Access
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Authorizer = goalkit.AuthorizerFunc(func(_ context.Context, a goalkit.Access) error {
			asked = append(asked, a)
			if a.Unit == "wang" {
				return errors.New("wang's targets are frozen")
			}
			return nil
		})
	})
	p := f.fyPlan(t)
	edited, _, err := goal.EditTarget(p, goal.Edit{Goal: goal.GoalID("revenue", "li", f.period(t, "2026")), Target: dec("350.00"), Mode: goal.Rebalance})
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, edited, goalkit.Change{By: &ceo})
	require.ErrorIs(t, err, goalkit.ErrForbidden, "rebalancing li moves wang")
	require.ErrorContains(t, err, "wang's targets are frozen")
	require.NotEmpty(t, asked)
	for _, a := range asked {
		require.Equal(t, goalkit.ActionEdit, a.Action)
		require.Equal(t, "fy", a.Plan)
		require.NotNil(t, a.Org)
	}
	stored, err := f.engine.Plan(f.ctx, "fy")
	require.NoError(t, err)
	require.Equal(t, p.Version, stored.Version)
}
