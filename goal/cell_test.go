package goal

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func targetOfCell(t *testing.T, p *Plan, unit string, q Period, s DaySplit) string {
	t.Helper()
	v, err := p.TargetOf(unit, q, s)
	require.NoError(t, err)
	return v.StringFixed(p.Metric.Places)
}

func TestTargetOfSumsWhatThePlanStores(t *testing.T) {
	p := editPlan(t, nil)
	cal := testCal(t)
	q1 := periodOf(t, cal, Quarter, 2026, 1)
	sum := func(ids ...string) string {
		s := decimal.Zero
		for _, id := range ids {
			g, err := p.Goal(id)
			require.NoError(t, err)
			s = s.Add(g.Target)
		}
		return s.StringFixed(2)
	}
	require.Equal(t, "600.00", targetOfCell(t, p, "east", periodOf(t, cal, Year, 2026, 1), DaySplit{}))
	require.Equal(t, sum("rev/ann/2026-Q1", "rev/bob/2026-Q1"), targetOfCell(t, p, "east", q1, DaySplit{}))
	require.Equal(t, sum("rev/ann/2026-Q1", "rev/bob/2026-Q1", "rev/cy/2026-Q1"), targetOfCell(t, p, "co", q1, DaySplit{}))
	h1 := periodOf(t, cal, Half, 2026, 1)
	require.Equal(t, sum("rev/cy/2026-Q1", "rev/cy/2026-Q2"), targetOfCell(t, p, "cy", h1, DaySplit{}))
}

func TestTargetOfSplitsALeafOverItsDays(t *testing.T) {
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	org := testOrg(t, date.New(2026, time.July, 1))
	// No split over time: each rep has only a year goal.
	p, err := Decompose(org, cal, Spec{PlanID: "p", Metric: usd, Unit: "co", Period: year, Target: dec("3650.00")})
	require.NoError(t, err)
	jan1 := mustRange(t, date.New(2026, time.January, 1), date.New(2026, time.January, 2))
	jan3 := mustRange(t, date.New(2026, time.January, 3), date.New(2026, time.January, 4)) // a Saturday
	require.Equal(t, "5.00", targetOfCell(t, p, "cy", jan1, DaySplit{}))
	require.Equal(t, "5.00", targetOfCell(t, p, "cy", jan3, DaySplit{}))
	require.Equal(t, "0.00", targetOfCell(t, p, "cy", jan3, DaySplit{Basis: ByWorkingDays}))
	// bob joins on 1 July: with the org, his June is zero.
	june := periodOf(t, cal, Month, 2026, 6)
	require.Equal(t, "0.00", targetOfCell(t, p, "bob", june, DaySplit{Org: org}))
	require.NotEqual(t, "0.00", targetOfCell(t, p, "bob", june, DaySplit{}))
}

func TestTargetOfIsAdditive(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 4))
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	months, err := cal.Split(year, Month)
	require.NoError(t, err)
	weeks, err := cal.Split(year, Week)
	require.NoError(t, err)
	steps := [][]Grain{nil, {Month}, {Quarter}, {Quarter, Month}}
	for iter := range 20 {
		org := randomOrg(t, r, 1+r.IntN(8))
		basis := DayBasis(r.IntN(2))
		p, err := Decompose(org, cal, Spec{Metric: usd, Unit: "u0", Period: year,
			Target: decimal.New(r.Int64N(10_000_000), -2), Time: TimeRule{Steps: steps[r.IntN(len(steps))], Basis: basis}})
		if err != nil {
			continue
		}
		s := DaySplit{Calendar: cal, Basis: basis, Org: org}
		for _, g := range p.Goals {
			if g.Period != year {
				continue
			}
			for _, parts := range [][]Period{months, weeks} {
				sum := decimal.Zero
				for _, q := range parts {
					v, err := p.TargetOf(g.Unit, q, s)
					require.NoError(t, err)
					sum = sum.Add(v)
				}
				require.True(t, sum.Equal(g.Target), "iter %d %s: parts sum to %s", iter, g.ID, sum)
			}
			m := months[r.IntN(len(months))]
			kids := decimal.Zero
			units := 0
			for _, k := range p.Children(g.ID) {
				if k.Unit != g.Unit {
					units++
					v, err := p.TargetOf(k.Unit, m, s)
					require.NoError(t, err)
					kids = kids.Add(v)
				}
			}
			if units > 0 {
				v, err := p.TargetOf(g.Unit, m, s)
				require.NoError(t, err)
				require.True(t, kids.Equal(v), "iter %d %s %s: children give %s, the unit %s", iter, g.ID, m, kids, v)
			}
		}
	}
}

func TestTargetOfErrors(t *testing.T) {
	p := editPlan(t, nil)
	cal := testCal(t)
	_, err := p.TargetOf("zed", periodOf(t, cal, Month, 2026, 1), DaySplit{})
	require.ErrorIs(t, err, ErrNotFound)
	_, err = p.TargetOf("ann", mustRange(t, date.New(2025, time.December, 1), date.New(2026, time.February, 1)), DaySplit{})
	require.ErrorIs(t, err, ErrNotFound)
	_, err = p.TargetOf("ann", Period{}, DaySplit{})
	require.ErrorIs(t, err, ErrInvalid)
	_, err = (&Plan{ID: "x", Metric: usd, Goals: p.Goals}).TargetOf("ann", periodOf(t, cal, Month, 2026, 1), DaySplit{})
	require.ErrorIs(t, err, ErrInvalid)
}
