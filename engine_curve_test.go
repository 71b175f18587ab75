package goalkit_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
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

// TestEngineAndLedgerStatusesAgree: the Engine over a store and a Ledger
// over the same facts, each pacing a goal as the plan sets it
// (kpi.PlanPace), give the same status for every goal, to the
// representation: one curve, computed in one place. The plan mixes every
// shape a curve has: splits over time (a year over quarters over months),
// over units only (the company over its teams, a team over its reps),
// leaves, and a subtree whose sub-targets are all zero.
func TestEngineAndLedgerStatusesAgree(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			f := newFixture(t, nil, nil)
			target := func() decimal.Decimal { return decimal.New(rng.Int64N(100_000), -2) }
			year := f.period(t, "2026")
			goals := []goal.Goal{
				{ID: "acme", Metric: "revenue", Unit: "acme", Period: year, Target: target()},
				{ID: "north", Parent: "acme", Metric: "revenue", Unit: "north", Period: year, Target: target()},
				{ID: "south", Parent: "acme", Metric: "revenue", Unit: "south", Period: year, Target: target()},
				{ID: "li", Parent: "north", Metric: "revenue", Unit: "li", Period: year, Target: target()},
				{ID: "wang", Parent: "north", Metric: "revenue", Unit: "wang", Period: year, Target: target()},
				{ID: "zhao", Parent: "south", Metric: "revenue", Unit: "zhao", Period: year, Target: target()},
			}
			for q := 1; q <= 4; q++ {
				qp := f.period(t, fmt.Sprintf("2026-Q%d", q))
				goals = append(goals, goal.Goal{ID: "li " + qp.Label, Parent: "li", Metric: "revenue", Unit: "li", Period: qp, Target: target()})
				for m := q*3 - 2; m <= q*3; m++ {
					mp := f.period(t, fmt.Sprintf("2026-%02d", m))
					goals = append(goals, goal.Goal{ID: "li " + mp.Label, Parent: "li " + qp.Label, Metric: "revenue", Unit: "li", Period: mp, Target: target()},
						goal.Goal{ID: "wang " + mp.Label, Parent: "wang", Metric: "revenue", Unit: "wang", Period: mp, Target: decimal.New(0, -2)})
				}
			}
			p, err := goal.NewPlan("mixed", revenue, goals)
			require.NoError(t, err)
			_, err = f.engine.SavePlan(f.ctx, p, goalkit.Change{Actor: "t", Unbalanced: true}) // random targets: the pace is under test, not the sums
			require.NoError(t, err)

			org, err := goal.NewOrg(orgUnits)
			require.NoError(t, err)
			l, err := kpi.NewLedger(kpi.LedgerConfig{Org: org, Metrics: []goal.Metric{revenue}, Span: year})
			require.NoError(t, err)
			var facts []kpi.Fact
			for i := range 300 {
				unit := []string{"li", "wang", "zhao", "north"}[rng.IntN(4)]
				d := year.Start + date.Date(rng.IntN(year.Days()))
				facts = append(facts, kpi.Fact{Key: fmt.Sprint(i), Metric: "revenue", Unit: unit, Date: d, Value: decimal.New(rng.Int64N(50_000), -2)})
			}
			f.ingest(t, facts...)
			_, err = l.IngestBatch(facts, kpi.AllOrNothing)
			require.NoError(t, err)

			paces := kpi.NewPlanPace(p, f.cal)
			for _, asOf := range []date.Date{day("2026-01-01"), day("2026-02-14"), day("2026-06-30"), day("2026-11-03"), day("2026-12-31")} {
				got, err := f.engine.Statuses(f.ctx, "mixed", asOf)
				require.NoError(t, err)
				var want []kpi.Status
				for _, g := range p.Goals {
					if g.Period.Start > asOf {
						continue
					}
					s, err := l.Status(g, asOf, paces.Of(g))
					require.NoError(t, err)
					want = append(want, s)
				}
				require.Equal(t, want, got, "as of %s", asOf)
			}
		})
	}
}
