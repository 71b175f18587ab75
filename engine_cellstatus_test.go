package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/stretchr/testify/require"
)

// TestCellStatus: a region's month and a rep's week have no stored goal in
// a plan of reps' months, yet have a target and a status.
func TestCellStatus(t *testing.T) {
	f := newFixture(t, nil, nil)
	p, err := f.engine.Decompose(f.ctx, goal.Spec{
		PlanID: "fy", Metric: revenue, Unit: "acme", Period: f.period(t, "2026"), Target: dec("1200000.00"),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	}, who)
	require.NoError(t, err)
	f.ingest(t, rev("a", "li", "2026-03-02", "1000.00"), rev("b", "wang", "2026-03-03", "500.00"), rev("c", "zhao", "2026-03-03", "700.00"))
	asOf := day("2026-03-15")

	north, err := f.engine.CellStatus(f.ctx, "fy", "north", f.period(t, "2026-03"), asOf)
	require.NoError(t, err)
	li, err := p.Goal("revenue/li/2026-03")
	require.NoError(t, err)
	wang, err := p.Goal("revenue/wang/2026-03")
	require.NoError(t, err)
	requireDec(t, li.Target.Add(wang.Target).String(), north.Target)
	requireDec(t, "1500.00", north.Actual)
	require.Equal(t, "revenue/north/2026-03", north.Goal)

	// A stored cell is the goal's own status.
	cell, err := f.engine.CellStatus(f.ctx, "fy", "li", f.period(t, "2026-03"), asOf)
	require.NoError(t, err)
	want, err := f.engine.Status(f.ctx, "fy", "revenue/li/2026-03", asOf)
	require.NoError(t, err)
	require.Equal(t, want, cell)

	week, err := f.engine.CellStatus(f.ctx, "fy", "li", f.period(t, "2026-W10"), asOf)
	require.NoError(t, err)
	require.True(t, week.Target.IsPositive())
	requireDec(t, "1000.00", week.Actual)

	_, err = f.engine.CellStatus(f.ctx, "fy", "nobody", f.period(t, "2026-03"), asOf)
	require.ErrorIs(t, err, goal.ErrNotFound)
	_, err = f.engine.CellStatus(f.ctx, "fy", "li", f.period(t, "2027-01"), asOf)
	require.ErrorIs(t, err, goal.ErrNotFound)
	_, err = f.engine.CellStatus(f.ctx, "missing", "li", f.period(t, "2026-03"), asOf)
	require.ErrorIs(t, err, storage.ErrNotFound)
}
