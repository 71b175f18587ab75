package kpi

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// TestPlanPace pins every shape of a plan's curve: a year over quarters over
// months follows the months; a goal split over units only sums its
// children's curves period by period; all-zero sub-targets and leaves are
// paced by working days, or by calendar days without a calendar or without
// a working day.
func TestPlanPace(t *testing.T) {
	cal := testCal(t)
	g := func(id, parent, unit, label, target string) goal.Goal {
		return goal.Goal{ID: id, Parent: parent, Metric: "revenue", Unit: unit, Period: period(t, label), Target: dec(target)}
	}
	sat := d(2026, 1, 3)
	weekend := goal.Period{Grain: goal.Day, Start: sat, End: sat + 2, Label: "weekend"}
	p, err := goal.NewPlan("p", testMetrics[0], []goal.Goal{
		g("east", "", "east", "2026-Q1", "600"),
		g("e1", "east", "e1", "2026-Q1", "400"),
		g("e2", "east", "e2", "2026-Q1", "200"),
		g("e1 jan", "e1", "e1", "2026-01", "100"),
		g("e1 feb", "e1", "e1", "2026-02", "100"),
		g("e1 mar", "e1", "e1", "2026-03", "200"),
		g("e1 w1", "e1 jan", "e1", "2026-W02", "30"),
		g("e1 w2", "e1 jan", "e1", "2026-W03", "70"),
		g("e2 jan", "e2", "e2", "2026-01", "0"),
		g("e2 feb", "e2", "e2", "2026-02", "0"),
		g("e2 mar", "e2", "e2", "2026-03", "0"),
		{ID: "c weekend", Parent: "e2 jan", Metric: "revenue", Unit: "c", Period: weekend, Target: dec("5")},
	})
	require.NoError(t, err)
	pp := NewPlanPace(p, cal)
	curve := func(id string) map[string]string {
		pace := pp.Of(p.Goals[index(t, p, id)])
		require.Equal(t, "seasonal", pace.String(), id)
		require.Equal(t, goal.ByWorkingDays, pace.Days, id)
		require.Same(t, cal, pace.Calendar)
		out := map[string]string{}
		for _, w := range pace.Curve {
			out[w.Period.Label] = w.Weight.String()
		}
		return out
	}
	require.Equal(t, map[string]string{"2026-W02": "30", "2026-W03": "70", "2026-02": "100", "2026-03": "200"}, curve("e1"),
		"January is replaced by its weeks")
	require.Equal(t, curve("e1"), curve("east"), "east is split over units only; e2's zero months add nothing")
	for _, id := range []string{"e2", "e2 jan", "e1 mar"} {
		require.Equal(t, Pace{Days: goal.ByWorkingDays, Calendar: cal}, pp.Of(p.Goals[index(t, p, id)]), id)
	}
	require.Equal(t, Pace{}, pp.Of(p.Goals[index(t, p, "c weekend")]), "no working day in the period")
	require.Equal(t, Pace{}, NewPlanPace(p, nil).Of(p.Goals[index(t, p, "e1 mar")]), "no calendar")
	require.Equal(t, pp.Of(p.Goals[0]), pp.At(0))

	cell := goal.Goal{ID: "not in the plan", Period: period(t, "2026-01")}
	require.Equal(t, Pace{Days: goal.ByWorkingDays, Calendar: cal}, pp.Of(cell), "a goal the plan does not hold is a leaf")
	for i, w := range pp.Curve(index(t, p, "east"))[1:] {
		require.Less(t, pp.Curve(index(t, p, "east"))[i].Period.Start, w.Period.Start, "curves are sorted")
	}
	require.Nil(t, pp.Curve(len(p.Goals)))
}

func index(t *testing.T, p *goal.Plan, id string) int {
	t.Helper()
	i, ok := p.Index(id)
	require.True(t, ok, id)
	return i
}
