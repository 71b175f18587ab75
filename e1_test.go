//go:build !race

// The E1 check saves 93,245 goals: a few seconds normally, minutes under the
// race detector, which has nothing to find in it that the smaller engine
// tests do not exercise. So it runs without -race only (go test ./...).

package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/cmd/e1/sweep"
	"github.com/goalkit/goalkit/internal/cmd/e1/world"
	"github.com/goalkit/goalkit/kpi"
	"github.com/stretchr/testify/require"
)

// TestE1Evaluate checks the benchmark's plans evaluate: a plan whose goals
// are split over time and over units at once (the company's quarters next to
// the regions' years) paces each goal by its own sub-periods, and Evaluate
// sees the 16,455 goals open on the day.
func TestE1Evaluate(t *testing.T) {
	if testing.Short() {
		t.Skip("saves 93,245 goals")
	}
	fx, err := newE1Fixture(5_000)
	require.NoError(t, err)
	ctx := context.Background()
	e, err := goalkit.New(ctx, e1Rollback{fx.store}, fx.cfg)
	require.NoError(t, err)
	ev, err := e.Evaluate(ctx, world.AsOf)
	require.ErrorIs(t, err, errE1Rollback)
	require.Zero(t, ev.Goals) // a failed evaluation reports nothing

	// With 5,000 facts most count targets are zero: goals whose sub-targets
	// are all zero are paced by working days instead of failing the
	// evaluation.

	plan, err := e.Plan(ctx, "e1-revenue")
	require.NoError(t, err)
	// The company's year is paced by its own finest sub-periods: its
	// quarters' months (the quarters are its first four children; the
	// regions' years follow), not by the sum of everything below it.
	fy := plan.Goals[0]
	st, err := e.Status(ctx, plan.ID, fy.ID, world.AsOf)
	require.NoError(t, err)
	var months []goal.Goal
	for _, q := range plan.Children(fy.ID)[:4] {
		for _, m := range plan.Children(q.ID) {
			if m.Unit == fy.Unit {
				months = append(months, m)
			}
		}
	}
	require.Len(t, months, 12)
	want, err := kpi.TimeProgress(fy.Period, world.AsOf, kpi.Pace{Days: goal.ByWorkingDays, Calendar: fx.world.Cal, Curve: kpi.CurveFromGoals(months)})
	require.NoError(t, err)
	require.True(t, st.TimeProgress.Equal(want), "time progress %s, want %s", st.TimeProgress, want)

	n := 0
	for _, p := range []string{"e1-revenue", "e1-won_deals", "e1-calls", "e1-meetings", "e1-new_leads"} {
		pl, err := e.Plan(ctx, p)
		require.NoError(t, err)
		for _, g := range pl.Goals {
			if g.Period.Contains(world.AsOf) {
				n++
			}
		}
	}
	require.Equal(t, 1097*3*5, n)

	// E1 over all goals hands every one in; those not started (Q4 and its
	// months) get no status.
	plans, err := fx.world.Plans(5_000)
	require.NoError(t, err)
	pace, miss, err := fx.world.Rules()
	require.NoError(t, err)
	all, err := sweep.Run(ctx, e, plans, world.AsOf, pace, miss)
	require.NoError(t, err)
	require.Equal(t, sweep.Result{Goals: 93_245, Started: 71_305, Active: all.Active}, all)
	require.Positive(t, all.Active)
}

// BenchmarkE1Evaluate evaluates all 93,245 goals' plans as of 2026-09-15
// (16,455 goals open that day) over 100,000 facts; each run is rolled back,
// so each is a first evaluation that raises and persists every alert.
