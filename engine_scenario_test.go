package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

func TestScenarioEditCompareAndPromote(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
		require.NoError(t, err)
		f.clock.Set(day("2026-01-10"))
		sc, err := f.engine.NewScenario(f.ctx, "li-q1", "stretch", goalkit.Change{Actor: "ana", Reason: "what if March doubles"})
		require.NoError(t, err)
		require.Equal(t, int64(1), sc.Base)
		require.Equal(t, int64(1), sc.Version)

		// Edit the scenario twice: a re-balancing edit, then a set by hand.
		sc, changed, err := f.engine.EditScenario(f.ctx, "li-q1", "stretch", goal.Edit{Goal: "mar", Target: dec("400.00")}, sc.Version, goalkit.Change{Actor: "ana"})
		require.NoError(t, err)
		require.Equal(t, []string{"jan", "feb", "mar"}, changed)
		require.Equal(t, int64(2), sc.Version)
		require.NoError(t, sc.Plan.SetTarget("q1", dec("700.00")))
		require.NoError(t, sc.Plan.SetTarget("feb", dec("200.00")))
		sc, err = f.engine.SaveScenario(f.ctx, sc, goalkit.Change{Actor: "ana"})
		require.NoError(t, err)
		require.Equal(t, int64(3), sc.Version)
		_, err = f.engine.SaveScenario(f.ctx, storage.Scenario{Name: "stretch", Plan: sc.Plan, Version: 2}, who)
		require.ErrorIs(t, err, storage.ErrConflict, "a stale scenario save is refused")

		// The live plan is untouched: same version, same targets, no audit.
		live, err := f.engine.Plan(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Equal(t, int64(1), live.Version)
		require.Equal(t, "300.00", targetOf(t, live, "mar"))
		audit, err := f.store.ListAudit(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, audit, 4)

		diff, err := f.engine.CompareScenario(f.ctx, "li-q1", "stretch")
		require.NoError(t, err)
		moved := map[string]string{}
		for _, c := range diff {
			moved[c.Goal] = c.Delta.StringFixed(2)
		}
		require.Equal(t, map[string]string{"q1": "100.00", "jan": "-33.33", "mar": "100.00"}, moved)

		f.clock.Set(day("2026-01-12"))
		p, err := f.engine.PromoteScenario(f.ctx, "li-q1", "stretch", goalkit.Change{Actor: "director", Reason: "approved the stretch"})
		require.NoError(t, err)
		require.Equal(t, int64(2), p.Version)
		live, err = f.engine.Plan(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Equal(t, int64(2), live.Version)
		require.Equal(t, "700.00", targetOf(t, live, "q1"))
		require.Equal(t, "400.00", targetOf(t, live, "mar"))
		audit, err = f.store.ListAudit(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, audit, 7, "promotion audits the three moved targets")
		require.Equal(t, "director", audit[6].Actor)
		vs, err := f.engine.PlanVersions(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, vs, 2)
		require.Equal(t, "approved the stretch", vs[1].Reason)
		_, err = f.engine.Scenario(f.ctx, "li-q1", "stretch")
		require.ErrorIs(t, err, storage.ErrNotFound, "a promoted scenario is gone")
	})
}

func TestPromoteStaleScenarioIsAConflict(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s storage.Store) {
		f := newFixture(t, s, nil)
		_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
		require.NoError(t, err)
		_, err = f.engine.NewScenario(f.ctx, "li-q1", "cut", who)
		require.NoError(t, err)
		_, err = f.engine.NewScenario(f.ctx, "li-q1", "cut", who)
		require.ErrorIs(t, err, storage.ErrConflict, "a scenario name is taken")
		_, err = f.engine.SetTarget(f.ctx, "li-q1", "jan", dec("90.00"), 1, unbalanced(who))
		require.NoError(t, err)

		_, err = f.engine.PromoteScenario(f.ctx, "li-q1", "cut", who)
		var ce *storage.ConflictError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, "scenario", ce.Kind)
		require.Contains(t, err.Error(), "copied from version 1 of the plan, which is at version 2 now")
		live, err := f.engine.Plan(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Equal(t, int64(2), live.Version, "nothing is written")
		require.Equal(t, "90.00", targetOf(t, live, "jan"))
		ss, err := f.engine.Scenarios(f.ctx, "li-q1")
		require.NoError(t, err)
		require.Len(t, ss, 1, "the stale scenario is kept")

		require.NoError(t, f.engine.DropScenario(f.ctx, "li-q1", "cut"))
		require.ErrorIs(t, f.engine.DropScenario(f.ctx, "li-q1", "cut"), storage.ErrNotFound)
		_, err = f.engine.PromoteScenario(f.ctx, "li-q1", "cut", who)
		require.ErrorIs(t, err, storage.ErrNotFound)
		_, err = f.engine.NewScenario(f.ctx, "nope", "x", who)
		require.ErrorIs(t, err, storage.ErrNotFound)
		_, err = f.engine.SaveScenario(f.ctx, storage.Scenario{Name: "x"}, who)
		require.ErrorIs(t, err, goalkit.ErrInvalid)
	})
}
