package goal

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var callsMetric = Metric{Key: "calls", Kind: Count}

// monthlyPlan plans 1,200 calls for unit u over 2026, 100 a month.
func monthlyPlan(t testing.TB, steps ...Grain) *Plan {
	t.Helper()
	org, err := NewOrg([]Unit{{ID: "u"}})
	require.NoError(t, err)
	cal := testCal(t)
	even := EvenProfile()
	p, err := Decompose(org, cal, Spec{PlanID: "p", Metric: callsMetric, Unit: "u", Period: periodOf(t, cal, Year, 2026, 1), Target: dec("1200"),
		Time: TimeRule{Steps: steps, Seasonal: &even}})
	require.NoError(t, err)
	return p
}

func monthTargets(p *Plan) []string {
	var out []string
	for _, g := range p.Goals {
		if g.Period.Grain == Month {
			out = append(out, g.Target.String())
		}
	}
	return out
}

func q1Actuals(jan, feb, mar string) map[string]decimal.Decimal {
	return map[string]decimal.Decimal{"calls/u/2026-01": dec(jan), "calls/u/2026-02": dec(feb), "calls/u/2026-03": dec(mar)}
}

func TestReplan(t *testing.T) {
	april := date.New(2026, time.April, 1)
	tests := []struct {
		name    string
		spec    ReplanSpec
		lock    string // a month to lock at 200
		want    []string
		report  ReplanReport
		reports int
	}{
		{name: "catch up", spec: ReplanSpec{AsOf: april, Actuals: q1Actuals("80", "90", "100")},
			want:   []string{"100", "100", "100", "104", "104", "104", "103", "103", "103", "103", "103", "103"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("270"), Shortfall: dec("30"), OpenTarget: dec("900"), NewOpenTarget: dec("930"), Uncovered: dec("0")}},
		{name: "absorb", spec: ReplanSpec{AsOf: april, Mode: Absorb, Actuals: q1Actuals("80", "90", "100")},
			want:   []string{"100", "100", "100", "100", "100", "100", "100", "100", "100", "100", "100", "100"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("270"), Shortfall: dec("30"), OpenTarget: dec("900"), NewOpenTarget: dec("900"), Uncovered: dec("30")}},
		{name: "ahead of plan", spec: ReplanSpec{AsOf: april, Actuals: q1Actuals("150", "150", "150")},
			want:   []string{"100", "100", "100", "84", "84", "84", "83", "83", "83", "83", "83", "83"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("450"), Shortfall: dec("-150"), OpenTarget: dec("900"), NewOpenTarget: dec("750"), Uncovered: dec("0")}},
		{name: "over-achieved: open periods get zero", spec: ReplanSpec{AsOf: april, Actuals: q1Actuals("500", "500", "500")},
			want:   []string{"100", "100", "100", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("1500"), Shortfall: dec("-1200"), OpenTarget: dec("900"), NewOpenTarget: dec("0"), Uncovered: dec("-300")}},
		{name: "locked open month keeps its target", lock: "calls/u/2026-04", spec: ReplanSpec{AsOf: april, Actuals: q1Actuals("80", "90", "100")},
			want:   []string{"100", "100", "100", "200", "92", "92", "91", "91", "91", "91", "91", "91"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("270"), Shortfall: dec("30"), OpenTarget: dec("1000"), NewOpenTarget: dec("930"), Uncovered: dec("0")}},
		{name: "locks above the gap", lock: "calls/u/2026-04", spec: ReplanSpec{AsOf: april, Actuals: q1Actuals("400", "400", "300")},
			want:   []string{"100", "100", "100", "200", "0", "0", "0", "0", "0", "0", "0", "0"},
			report: ReplanReport{Target: dec("1200"), ClosedTarget: dec("300"), ClosedActual: dec("1100"), Shortfall: dec("-800"), OpenTarget: dec("1000"), NewOpenTarget: dec("200"), Uncovered: dec("-100")}},
		{name: "nothing closed yet", spec: ReplanSpec{AsOf: date.New(2026, time.January, 31)},
			want: []string{"100", "100", "100", "100", "100", "100", "100", "100", "100", "100", "100", "100"}, reports: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := monthlyPlan(t, Month)
			if tt.lock != "" {
				require.NoError(t, p.SetTarget(tt.lock, dec("200")))
				p.Goals[p.index[tt.lock]].Locked = true
			}
			before := targets(p)
			np, reports, err := Replan(p, tt.spec)
			require.NoError(t, err)
			require.Equal(t, before, targets(p), "the input plan is not changed")
			require.Equal(t, tt.want, monthTargets(np))
			if tt.reports == -1 {
				require.Empty(t, reports)
				return
			}
			require.Len(t, reports, 1)
			r := reports[0]
			require.Equal(t, "calls/u/2026", r.Goal)
			for _, f := range [][2]decimal.Decimal{{tt.report.Target, r.Target}, {tt.report.ClosedTarget, r.ClosedTarget},
				{tt.report.ClosedActual, r.ClosedActual}, {tt.report.Shortfall, r.Shortfall}, {tt.report.OpenTarget, r.OpenTarget},
				{tt.report.NewOpenTarget, r.NewOpenTarget}, {tt.report.Uncovered, r.Uncovered}} {
				require.True(t, f[0].Equal(f[1]), "want %s, got %s in %+v", f[0], f[1], r)
			}
		})
	}
}

func TestReplanCascadesToDays(t *testing.T) {
	p := monthlyPlan(t, Month, Day)
	// Half of January is gone with 20 calls made against ~48 planned.
	actuals := map[string]decimal.Decimal{}
	for d := 1; d <= 15; d++ {
		if d <= 10 {
			actuals["calls/u/"+date.New(2026, time.January, d).String()] = dec("2")
		}
	}
	np, reports, err := Replan(p, ReplanSpec{AsOf: date.New(2026, time.January, 16), Actuals: actuals})
	require.NoError(t, err)
	// The year has no closed month; January has 15 closed days.
	require.Len(t, reports, 1)
	r := reports[0]
	require.Equal(t, "calls/u/2026-01", r.Goal)
	require.Equal(t, "20", r.ClosedActual.String())
	require.Equal(t, "80", r.NewOpenTarget.String())
	sum := decimal.Zero
	for _, g := range np.Children("calls/u/2026-01") {
		old, err := p.Goal(g.ID)
		require.NoError(t, err)
		if g.Period.End <= date.New(2026, time.January, 16) {
			require.True(t, g.Target.Equal(old.Target), "closed day %s changed", g.ID)
		} else {
			sum = sum.Add(g.Target)
		}
	}
	require.Equal(t, "80", sum.String())
	// Other months are untouched and still exact.
	for _, d := range np.Check() {
		require.Equal(t, "calls/u/2026-01", d.Goal)
	}
}

func TestReplanFallsBackToWorkingDays(t *testing.T) {
	cal := testCal(t)
	feb := periodOf(t, cal, Month, 2026, 2)
	weeks, err := cal.Split(feb, Week)
	require.NoError(t, err)
	goals := []Goal{{ID: "g", Metric: "calls", Unit: "u", Period: feb, Target: dec("40")}}
	for i, w := range weeks {
		goals = append(goals, Goal{ID: "g" + string(rune('a'+i)), Parent: "g", Metric: "calls", Unit: "u", Period: w, Target: decimal.Zero})
	}
	p, err := NewPlan("p", callsMetric, goals)
	require.NoError(t, err)
	np, _, err := Replan(p, ReplanSpec{AsOf: feb.Start, Calendar: cal})
	require.NoError(t, err)
	var got []string
	for _, g := range np.Goals[1:] {
		got = append(got, g.Target.String())
	}
	// Working days per clipped week: 0, 5, 5, 5, 5.
	require.Equal(t, []string{"0", "10", "10", "10", "10"}, got)
	require.Empty(t, np.Check())
}

func TestReplanLeavesUnitSplitsAlone(t *testing.T) {
	cal := testCal(t)
	p, err := Decompose(testOrg(t, 0), cal, Spec{Metric: usd, Unit: "co", Period: periodOf(t, cal, Year, 2026, 1), Target: dec("1200.00"),
		Time: TimeRule{Steps: []Grain{Quarter}}})
	require.NoError(t, err)
	np, reports, err := Replan(p, ReplanSpec{AsOf: date.New(2026, time.July, 1), Actuals: map[string]decimal.Decimal{"rev/ann/2026-Q1": dec("10.00")}})
	require.NoError(t, err)
	require.Len(t, reports, 3) // the three reps' years
	for i := range 6 {
		require.Equal(t, p.Goals[i], np.Goals[i])
	}
}

func TestReplanErrors(t *testing.T) {
	p := monthlyPlan(t, Month)
	_, _, err := Replan(nil, ReplanSpec{})
	require.ErrorIs(t, err, ErrInvalid)
	_, _, err = Replan(p, ReplanSpec{Mode: 5})
	require.ErrorIs(t, err, ErrInvalid)
	_, _, err = Replan(p, ReplanSpec{Actuals: map[string]decimal.Decimal{"calls/u/2026-01": dec("1.5")}})
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "calls/u/2026-01")
	mixed, err := NewPlan("m", callsMetric, []Goal{
		{ID: "a", Metric: "calls", Unit: "t", Target: dec("2")},
		{ID: "b", Parent: "a", Metric: "calls", Unit: "t", Target: dec("1")},
		{ID: "c", Parent: "a", Metric: "calls", Unit: "r", Target: dec("1")},
	})
	require.NoError(t, err)
	_, _, err = Replan(mixed, ReplanSpec{})
	require.ErrorIs(t, err, ErrInvalid)
}

func TestReplanProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	cal := testCal(t)
	year := periodOf(t, cal, Year, 2026, 1)
	for iter := range 40 {
		org := randomOrg(t, r, 1+r.IntN(6))
		steps := [][]Grain{{Month}, {Quarter, Month}, {Month, Week}, {Month, Day}}[r.IntN(4)]
		p, err := Decompose(org, cal, Spec{Metric: usd, Unit: "u0", Period: year, Target: decimal.New(r.Int64N(100_000_000), -2), Time: TimeRule{Steps: steps, Basis: ByWorkingDays}})
		if err != nil {
			continue
		}
		asOf := year.Start + date.Date(r.IntN(380))
		actuals := map[string]decimal.Decimal{}
		for _, g := range p.Goals {
			if g.Period.End <= asOf && r.IntN(4) > 0 {
				actuals[g.ID] = g.Target.Mul(decimal.New(r.Int64N(15), -1)).Truncate(2)
			}
		}
		before := targets(p)
		spec := ReplanSpec{AsOf: asOf, Actuals: actuals, Calendar: cal}
		np, _, err := Replan(p, spec)
		require.NoError(t, err, "iter %d", iter)
		again, _, err := Replan(p, spec)
		require.NoError(t, err)
		require.Equal(t, targets(np), targets(again), "deterministic")
		require.Equal(t, before, targets(p), "input unchanged")
		for i, g := range np.Goals {
			old := p.Goals[i]
			if g.Period.End <= asOf || g.Period == year {
				require.True(t, g.Target.Equal(old.Target), "iter %d: %s is closed or a unit year but changed", iter, g.ID)
			}
			kids := np.childIndexes(i)
			if len(kids) == 0 || np.Goals[kids[0]].Unit != g.Unit || g.Period.End <= asOf {
				continue
			}
			closed, open := decimal.Zero, decimal.Zero
			for _, k := range kids {
				c := np.Goals[k]
				if c.Period.End <= asOf {
					closed = closed.Add(actuals[c.ID])
				} else {
					open = open.Add(c.Target)
				}
			}
			want := decimal.Max(g.Target.Sub(closed), decimal.Zero)
			require.True(t, open.Equal(want), "iter %d: open children of %s sum to %s, want %s", iter, g.ID, open, want)
		}
	}
}
