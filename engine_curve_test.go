package goalkit_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// TestStatusPacesByFinestSubPeriods: a year split into quarters and the
// quarters into months is paced by the months. With no target in January
// and February, nothing is expected by the end of January, although the
// first quarter as a whole has a target.
func TestStatusPacesByFinestSubPeriods(t *testing.T) {
	f := newFixture(t, nil, nil)
	year := f.period(t, "2026")
	goals := []goal.Goal{{ID: "y", Metric: "revenue", Unit: "li", Period: year, Target: dec("1200.00")}}
	for q := 1; q <= 4; q++ {
		qp := f.period(t, fmt.Sprintf("2026-Q%d", q))
		goals = append(goals, goal.Goal{ID: qp.Label, Parent: "y", Metric: "revenue", Unit: "li", Period: qp, Target: dec("300.00")})
		for m := q*3 - 2; m <= q*3; m++ {
			mp := f.period(t, fmt.Sprintf("2026-%02d", m))
			target := dec("100.00")
			switch m {
			case 1, 2:
				target = dec("0.00")
			case 3:
				target = dec("300.00")
			}
			goals = append(goals, goal.Goal{ID: mp.Label, Parent: qp.Label, Metric: "revenue", Unit: "li", Period: mp, Target: target})
		}
	}
	p, err := goal.NewPlan("finest", revenue, goals)
	require.NoError(t, err)
	_, err = f.engine.SavePlan(f.ctx, p, goalkit.Change{Actor: "t"})
	require.NoError(t, err)

	st, err := f.engine.Status(f.ctx, "finest", "y", day("2026-01-31"))
	require.NoError(t, err)
	require.Equal(t, "0", st.TimeProgress.String(), "January has no target: no time has elapsed on the plan's curve")
	require.Equal(t, "0", st.Expected.String())
	st, err = f.engine.Status(f.ctx, "finest", "2026-Q1", day("2026-01-31"))
	require.NoError(t, err)
	require.Equal(t, "0", st.Expected.String(), "the quarter too follows its months")
}
