package goal

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// editPlan is co 1200.00 → east, west → ann, bob (east), cy (west), each rep
// over quarters, all exact.
func editPlan(t *testing.T, locks map[string]decimal.Decimal) *Plan {
	t.Helper()
	cal := testCal(t)
	p, err := Decompose(testOrg(t, 0), cal, Spec{
		PlanID: "p", Metric: usd, Unit: "co", Period: periodOf(t, cal, Year, 2026, 1),
		Target: dec("1200.00"), Time: TimeRule{Steps: []Grain{Quarter}}, Locks: locks,
	})
	require.NoError(t, err)
	require.Empty(t, p.Check())
	return p
}

func targetOf(t *testing.T, p *Plan, id string) string {
	t.Helper()
	g, err := p.Goal(id)
	require.NoError(t, err)
	return g.Target.StringFixed(2)
}

func TestEditTargetRebalanceKeepsTheParent(t *testing.T) {
	p := editPlan(t, nil)
	before := targets(p)
	np, changed, err := EditTarget(p, Edit{Goal: "rev/ann/2026", Target: dec("400.00")})
	require.NoError(t, err)
	require.Empty(t, np.Check())
	require.Equal(t, before, targets(p), "the original plan is not changed")
	require.Equal(t, "600.00", targetOf(t, np, "rev/east/2026"))
	require.Equal(t, "200.00", targetOf(t, np, "rev/bob/2026"))
	require.Equal(t, []string{
		"rev/ann/2026", "rev/bob/2026",
		"rev/ann/2026-Q1", "rev/ann/2026-Q2", "rev/ann/2026-Q3", "rev/ann/2026-Q4",
		"rev/bob/2026-Q1", "rev/bob/2026-Q2", "rev/bob/2026-Q3", "rev/bob/2026-Q4",
	}, changed)
}

func TestEditTargetRebalanceKeepsLockedAndClosedSiblings(t *testing.T) {
	p := editPlan(t, map[string]decimal.Decimal{"rev/ann/2026-Q2": dec("50.00")})
	// ann's quarters: Q2 locked at 50, Q1 closed on 1 April; editing Q3
	// moves only Q4.
	q1 := targetOf(t, p, "rev/ann/2026-Q1")
	np, changed, err := EditTarget(p, Edit{Goal: "rev/ann/2026-Q3", Target: dec("10.00"), AsOf: date.New(2026, time.April, 1), Lock: true})
	require.NoError(t, err)
	require.Empty(t, np.Check())
	require.Equal(t, q1, targetOf(t, np, "rev/ann/2026-Q1"))
	require.Equal(t, "50.00", targetOf(t, np, "rev/ann/2026-Q2"))
	require.Equal(t, []string{"rev/ann/2026-Q3", "rev/ann/2026-Q4"}, changed)
	g, err := np.Goal("rev/ann/2026-Q3")
	require.NoError(t, err)
	require.True(t, g.Locked)
}

func TestEditTargetRebalanceHonoursBounds(t *testing.T) {
	p := editPlan(t, nil)
	// ann's Q1 drops by 60: Q2 may take at most 10 more, Q3 and Q4 the rest.
	np, _, err := EditTarget(p, Edit{Goal: "rev/ann/2026-Q1", Target: dec("15.00"),
		Bounds: map[string]Bounds{"rev/ann/2026-Q2": {Max: nullDec("85.00")}}})
	require.NoError(t, err)
	require.Empty(t, np.Check())
	require.Equal(t, "85.00", targetOf(t, np, "rev/ann/2026-Q2"))
	require.Equal(t, "100.00", targetOf(t, np, "rev/ann/2026-Q3"))
	require.Equal(t, "100.00", targetOf(t, np, "rev/ann/2026-Q4"))
}

func TestEditTargetRollUpMovesTheAncestors(t *testing.T) {
	p := editPlan(t, nil)
	np, changed, err := EditTarget(p, Edit{Goal: "rev/bob/2026", Target: dec("400.00"), Mode: RollUp})
	require.NoError(t, err)
	require.Empty(t, np.Check())
	require.Equal(t, "1300.00", targetOf(t, np, "rev/co/2026"))
	require.Equal(t, "700.00", targetOf(t, np, "rev/east/2026"))
	require.Equal(t, "300.00", targetOf(t, np, "rev/ann/2026"))
	require.Equal(t, []string{"rev/co/2026", "rev/east/2026", "rev/bob/2026",
		"rev/bob/2026-Q1", "rev/bob/2026-Q2", "rev/bob/2026-Q3", "rev/bob/2026-Q4"}, changed)
}

func TestEditTargetRootSpreadsDown(t *testing.T) {
	p := editPlan(t, nil)
	np, _, err := EditTarget(p, Edit{Goal: "rev/co/2026", Target: dec("2400.00")})
	require.NoError(t, err)
	require.Empty(t, np.Check())
	require.Equal(t, "600.00", targetOf(t, np, "rev/ann/2026"))
	require.Equal(t, "1200.00", targetOf(t, np, "rev/cy/2026"))
}

func TestEditTargetErrors(t *testing.T) {
	p := editPlan(t, map[string]decimal.Decimal{"rev/bob/2026": dec("300.00"), "rev/west/2026": dec("600.00")})
	before := targets(p)
	tests := []struct {
		name string
		edit Edit
		want error
	}{
		{"unknown goal", Edit{Goal: "rev/zed/2026", Target: dec("1")}, ErrNotFound},
		{"too many places", Edit{Goal: "rev/ann/2026", Target: dec("1.001")}, ErrInvalid},
		{"unknown mode", Edit{Goal: "rev/ann/2026", Target: dec("1"), Mode: 9}, ErrInvalid},
		{"every sibling locked", Edit{Goal: "rev/ann/2026", Target: dec("1")}, ErrInfeasible},
		{"locked ancestor", Edit{Goal: "rev/cy/2026", Target: dec("1"), Mode: RollUp}, ErrInfeasible},
		{"bounds on a goal that is not a sibling", Edit{Goal: "rev/ann/2026-Q1", Target: dec("1"), Bounds: map[string]Bounds{"rev/cy/2026": {}}}, ErrInvalid},
		{"bounds on the edited goal", Edit{Goal: "rev/ann/2026-Q1", Target: dec("1"), Bounds: map[string]Bounds{"rev/ann/2026-Q1": {}}}, ErrInvalid},
		{"bounds on the root", Edit{Goal: "rev/co/2026", Target: dec("1"), Bounds: map[string]Bounds{"rev/co/2026": {}}}, ErrInvalid},
		{"siblings cannot take it", Edit{Goal: "rev/ann/2026-Q1", Target: dec("1"), Bounds: map[string]Bounds{
			"rev/ann/2026-Q2": {Max: nullDec("75")}, "rev/ann/2026-Q3": {Max: nullDec("75")}, "rev/ann/2026-Q4": {Max: nullDec("75")}}}, ErrInfeasible},
		{"children all closed", Edit{Goal: "rev/co/2026", Target: dec("2000.00"), AsOf: date.New(2027, time.January, 1)}, ErrInfeasible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			np, changed, err := EditTarget(p, tt.edit)
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, np)
			require.Nil(t, changed)
		})
	}
	require.Equal(t, before, targets(p))
	_, _, err := EditTarget(nil, Edit{})
	require.ErrorIs(t, err, ErrInvalid)
}

func TestEditTargetKeepsPlansExact(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 3))
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	steps := [][]Grain{nil, {Month}, {Quarter, Month}}
	edited := 0
	for iter := range 300 {
		org := randomOrg(t, r, 1+r.IntN(12))
		p, err := Decompose(org, cal, Spec{Metric: usd, Unit: "u0", Period: year,
			Target: decimal.New(r.Int64N(10_000_000), -2), Time: TimeRule{Steps: steps[r.IntN(len(steps))]}})
		if err != nil {
			continue
		}
		for k := range p.Goals {
			p.Goals[k].Locked = r.IntN(5) == 0
		}
		g := p.Goals[r.IntN(len(p.Goals))]
		e := Edit{Goal: g.ID, Target: decimal.New(r.Int64N(2_000_000), -2), Mode: EditMode(r.IntN(2)), Lock: r.IntN(2) == 0}
		if r.IntN(3) == 0 {
			e.AsOf = year.Start + date.Date(r.IntN(365))
		}
		np, changed, err := EditTarget(p, e)
		if err != nil {
			require.ErrorIs(t, err, ErrInfeasible, "iter %d", iter)
			continue
		}
		edited++
		require.Empty(t, np.Check(), "iter %d: %s", iter, fmt.Sprint(e))
		require.Equal(t, e.Target.StringFixed(2), targetOf(t, np, g.ID))
		diff, err := Diff(p, np)
		require.NoError(t, err)
		require.Len(t, diff, len(changed), "iter %d", iter)
		for n, c := range diff {
			require.Equal(t, changed[n], c.Goal)
			old, err := p.Goal(c.Goal)
			require.NoError(t, err)
			kept := old.Locked || (e.AsOf != 0 && old.Period.End <= e.AsOf)
			require.False(t, kept && c.Goal != g.ID, "iter %d: kept goal %s moved", iter, c.Goal)
			if e.Mode == Rebalance && g.Parent != "" {
				require.NotEqual(t, g.Parent, c.Goal, "iter %d: rebalance moved the parent", iter)
			}
		}
	}
	require.Greater(t, edited, 100)
}

func TestDiff(t *testing.T) {
	p := editPlan(t, nil)
	np, _, err := EditTarget(p, Edit{Goal: "rev/cy/2026-Q1", Target: dec("130.00")})
	require.NoError(t, err)
	goals := append([]Goal(nil), np.Goals...)
	goals = goals[:len(goals)-1] // drop cy's Q4
	goals = append(goals, Goal{ID: "rev/cy/2026-H2", Parent: "rev/cy/2026", Metric: "rev", Unit: "cy", Period: periodOf(t, testCal(t), Half, 2026, 7), Target: dec("240.00")})
	later, err := NewPlan("p", usd, goals)
	require.NoError(t, err)
	got, err := Diff(p, later)
	require.NoError(t, err)
	var lines []string
	for _, c := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s→%s %s", c.Kind, c.Goal, c.Before.StringFixed(2), c.After.StringFixed(2), c.Delta.StringFixed(2)))
	}
	require.Equal(t, []string{
		"moved rev/cy/2026-Q1 147.95→130.00 -17.95",
		"moved rev/cy/2026-Q2 149.59→155.53 5.94",
		"moved rev/cy/2026-Q3 151.23→157.24 6.01",
		"added rev/cy/2026-H2 0.00→240.00 240.00",
		"removed rev/cy/2026-Q4 151.23→0.00 -151.23",
	}, lines)

	same, err := Diff(p, p)
	require.NoError(t, err)
	require.Empty(t, same)
	_, err = Diff(p, nil)
	require.ErrorIs(t, err, ErrInvalid)
	other := *later
	other.Metric.Key = "calls"
	_, err = Diff(p, &other)
	require.ErrorIs(t, err, ErrInvalid)
	require.True(t, errors.Is(err, ErrInvalid))
}
