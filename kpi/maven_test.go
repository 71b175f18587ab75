package kpi

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/mavencrm"
	"github.com/goalkit/goalkit/internal/shareddata"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// mavenLedger builds the org company → regional office → manager → agent
// and ingests won revenue, won deals and closed (won or lost) deals.
func mavenLedger(t testing.TB) (*Ledger, []mavencrm.Team, []mavencrm.Deal) {
	ds, err := mavencrm.Load(shareddata.Require(t, "maven-crm"))
	require.NoError(t, err)
	teams, deals := ds.Teams, ds.Deals
	units := []goal.Unit{{ID: "company", Kind: "company"}}
	seen := map[string]bool{}
	for _, r := range teams {
		office, mgr := "office:"+r.Office, "mgr:"+r.Manager
		if !seen[office] {
			seen[office] = true
			units = append(units, goal.Unit{ID: office, Parent: "company", Kind: "region"})
		}
		if !seen[mgr] {
			seen[mgr] = true
			units = append(units, goal.Unit{ID: mgr, Parent: office, Kind: "team"})
		}
		units = append(units, goal.Unit{ID: "agent:" + r.Agent, Parent: mgr, Kind: "rep"})
	}
	org, err := goal.NewOrg(units)
	require.NoError(t, err)
	span, err := goal.NewRange(date.New(2017, 1, 1), date.New(2018, 1, 1))
	require.NoError(t, err)
	l, err := NewLedger(LedgerConfig{Org: org, Span: span, Metrics: []goal.Metric{
		{Key: "won_revenue", Kind: goal.Amount, Currency: "USD", Places: 2},
		{Key: "won_deals", Kind: goal.Count},
		{Key: "closed_deals", Kind: goal.Count},
	}})
	require.NoError(t, err)
	var facts []Fact
	for _, r := range deals {
		stage := r.Stage
		if stage != "Won" && stage != "Lost" {
			continue
		}
		day := r.Close
		agent := "agent:" + r.Agent
		id := r.ID
		facts = append(facts, Fact{Key: "closed:" + id, Metric: "closed_deals", Unit: agent, Date: day, Value: decimal.NewFromInt(1)})
		if stage == "Won" {
			v := r.Value.Decimal
			facts = append(facts,
				Fact{Key: "won:" + id, Metric: "won_revenue", Unit: agent, Date: day, Value: v, Dims: map[string]string{"product": r.Product, "account": r.Account}},
				Fact{Key: "won-count:" + id, Metric: "won_deals", Unit: agent, Date: day, Value: decimal.NewFromInt(1)})
		}
	}
	res, err := l.IngestBatch(facts, AllOrNothing)
	require.NoError(t, err)
	require.Equal(t, len(facts), res.Added)
	return l, teams, deals
}

func TestMavenCRMTotals(t *testing.T) {
	l, teams, deals := mavenLedger(t)
	cal := testCal(t)
	y, err := cal.Parse("2017")
	require.NoError(t, err)

	// Independent figures: a plain loop over the CSV in whole dollars.
	officeOf := map[string]string{}
	mgrOf := map[string]string{}
	for _, r := range teams {
		officeOf[r.Agent] = r.Office
		mgrOf[r.Agent] = r.Manager
	}
	type key struct{ unit, month string }
	revenue := map[key]int64{}
	won, closed := map[string]int{}, map[string]int{}
	var total int64
	for _, r := range deals {
		if r.Stage != "Won" && r.Stage != "Lost" {
			continue
		}
		agent, month := r.Agent, r.Close.String()[:7]
		closed[officeOf[agent]]++
		if r.Stage != "Won" {
			continue
		}
		require.True(t, r.Value.Decimal.IsInteger(), "whole dollars")
		v := r.Value.Decimal.IntPart()
		for _, u := range []string{"office:" + officeOf[agent], "mgr:" + mgrOf[agent], "company"} {
			revenue[key{u, month}] += v
			revenue[key{u, "2017"}] += v
		}
		won[officeOf[agent]]++
		total += v
	}
	// SOURCE.md's figures.
	require.Equal(t, int64(10_005_534), total)
	require.Equal(t, int64(3_568_647), revenue[key{"office:West", "2017"}])
	require.Equal(t, int64(3_346_293), revenue[key{"office:Central", "2017"}])
	require.Equal(t, int64(3_090_594), revenue[key{"office:East", "2017"}])
	requireDec(t, "10005534", actual(t, l, "won_revenue", "company", "2017", Subtree))
	requireDec(t, "3568647", actual(t, l, "won_revenue", "office:West", "2017", Subtree))
	requireDec(t, "3346293", actual(t, l, "won_revenue", "office:Central", "2017", Subtree))
	requireDec(t, "3090594", actual(t, l, "won_revenue", "office:East", "2017", Subtree))

	// Every office, manager and the company, every month, against the loop.
	months, err := cal.Split(y, goal.Month)
	require.NoError(t, err)
	checked := 0
	for _, u := range l.Org().Units() {
		if strings.HasPrefix(u.ID, "agent:") {
			continue
		}
		for _, p := range append(months, y) {
			got, err := l.Actual("won_revenue", u.ID, p, Subtree)
			require.NoError(t, err)
			requireDec(t, fmt.Sprint(revenue[key{u.ID, p.Label}]), got, u.ID, p.Label)
			checked++
		}
	}
	require.Equal(t, (1+3+6)*13, checked)
	requireDec(t, "696932", actual(t, l, "won_revenue", "company", "2017-07", Subtree))
	requireDec(t, "1338466", actual(t, l, "won_revenue", "company", "2017-06", Subtree))

	// Win rate recomputed from its parts at every level: 4,238 ÷ 6,711.
	winRate := Ratio(Sum("won_deals"), Sum("closed_deals"))
	v, err := l.Value(winRate, "company", y, Subtree)
	require.NoError(t, err)
	requireNull(t, "0.631501", v, "company win rate") // 63.15%, SOURCE.md
	for office := range won {
		v, err := l.Value(winRate, "office:"+office, y, Subtree)
		require.NoError(t, err)
		want := decimal.NewFromInt(int64(won[office])).DivRound(decimal.NewFromInt(int64(closed[office])), 6)
		requireNull(t, want.String(), v, office)
	}
	size, err := l.Value(Average("won_revenue"), "company", y, Subtree)
	require.NoError(t, err)
	requireNull(t, decimal.NewFromInt(total).DivRound(decimal.NewFromInt(4238), 6).String(), size, "deal size")

	// Ingesting everything again changes nothing; a correction shows up at
	// every level.
	before := actual(t, l, "won_revenue", "office:West", "2017", Subtree)
	require.NoError(t, l.Retract("won:1C1I7A6R")) // Moses Frase, 2017-03-01, 1,054
	agent := "agent:Moses Frase"
	requireDec(t, "10004480", actual(t, l, "won_revenue", "company", "2017", Subtree))
	requireDec(t, fmt.Sprint(revenue[key{"office:" + officeOf["Moses Frase"], "2017-03"}]-1054), actual(t, l, "won_revenue", "office:"+officeOf["Moses Frase"], "2017-03", Subtree))
	require.NoError(t, l.Replace(Fact{Key: "won:1C1I7A6R", Metric: "won_revenue", Unit: agent, Date: date.New(2017, 3, 1), Value: decimal.NewFromInt(1054),
		Dims: map[string]string{"product": "GTX Plus Basic", "account": "Cancity"}}))
	requireDec(t, before.String(), actual(t, l, "won_revenue", "office:West", "2017", Subtree))
	requireDec(t, "10005534", actual(t, l, "won_revenue", "company", "2017", Subtree))
}

func TestMavenCRMPlanStatus(t *testing.T) {
	l, _, deals := mavenLedger(t)
	cal := testCal(t)
	y, err := cal.Parse("2017")
	require.NoError(t, err)
	metric, _ := l.Metric("won_revenue")
	// Deals close from March: a profile with nothing in January and February.
	var profile goal.Profile
	for m := range profile {
		profile[m] = decimal.NewFromInt(1)
	}
	profile[0], profile[1] = decimal.Zero, decimal.Zero
	plan, err := goal.Decompose(l.Org(), cal, goal.Spec{
		PlanID: "fy2017", Metric: metric, Unit: "company", Period: y, Target: dec("12000000"),
		Depth: 1, Time: goal.TimeRule{Steps: []goal.Grain{goal.Quarter, goal.Month}, Seasonal: &profile},
	})
	require.NoError(t, err)
	require.Empty(t, plan.Check())

	// The company's curve: the sum of the offices' month targets.
	monthly := map[string]Weight{}
	for _, g := range plan.Goals {
		if g.Period.Grain == goal.Month {
			w := monthly[g.Period.Label]
			w.Period, w.Weight = g.Period, w.Weight.Add(g.Target)
			monthly[g.Period.Label] = w
		}
	}
	var curve []Weight
	for _, w := range monthly {
		curve = append(curve, w)
	}
	asOf := date.New(2017, 9, 30)
	var lines []string
	add := func(g goal.Goal, s Status) {
		lines = append(lines, fmt.Sprintf("%-15s %12s %12s %9s %9s %9s %12s %12s %12s %12s", g.Unit,
			g.Target.StringFixed(0), s.Actual.StringFixed(0), s.Attainment.Decimal.StringFixed(4), s.TimeProgress.StringFixed(4),
			s.GapRate.Decimal.StringFixed(4), s.AheadBy.StringFixed(0), s.RequiredRunRate.Decimal.StringFixed(0),
			s.Projected.Decimal.StringFixed(0), s.ProjectedLinear.Decimal.StringFixed(0)))
	}
	root := plan.Root()
	s, err := l.Status(root, asOf, Pace{Days: goal.ByWorkingDays, Curve: curve, Calendar: cal})
	require.NoError(t, err)
	add(root, s)
	// As of 30 September the actual is won revenue closed by then, by the loop.
	var want int64
	for _, r := range deals {
		if r.Stage == "Won" && r.Close <= date.New(2017, 9, 30) {
			want += r.Value.Decimal.IntPart()
		}
	}
	requireDec(t, fmt.Sprint(want), s.Actual)
	requireDec(t, "0.7", s.TimeProgress) // 7 of the 10 weighted months
	var statuses []Score
	for _, g := range plan.Children(root.ID) {
		s, err := l.Status(g, asOf, Pace{Days: goal.ByWorkingDays, Curve: CurveFromGoals(plan.Children(g.ID)), Calendar: cal})
		require.NoError(t, err)
		add(g, s)
		requireDec(t, "0.7", s.TimeProgress)
		require.True(t, s.GapRate.Decimal.Equal(s.Attainment.Decimal.Sub(s.TimeProgress)))
		statuses = append(statuses, Score{Unit: g.Unit, Value: s.Attainment})
	}
	slices.Sort(lines[1:])
	t.Logf("won revenue vs a 12,000,000 plan for 2017, as of %s (seasonal pace, no deals in Jan–Feb)\n%-15s %12s %12s %9s %9s %9s %12s %12s %12s %12s\n%s",
		asOf, "unit", "target", "actual", "attain", "progress", "gap", "ahead by", "run-rate/wd", "projected", "proj.linear", strings.Join(lines, "\n"))
	board := Rank(statuses, goal.HigherIsBetter)
	require.Equal(t, "office:West", board[0].Unit) // the largest actual on an even split
	for _, r := range board {
		t.Logf("attainment rank %d: %s %s", r.Rank, r.Unit, r.Value.Decimal.StringFixed(4))
	}
	agents, err := l.Org().Leaves("company")
	require.NoError(t, err)
	var ids []string
	for _, a := range agents {
		ids = append(ids, a.ID)
	}
	top, err := l.Leaderboard(Sum("won_revenue"), ids, y, Subtree)
	require.NoError(t, err)
	require.Len(t, top, 35)
	require.Equal(t, 0, top[34].Value.Decimal.Sign()) // five agents without deals share the last rank
	require.Equal(t, top[30].Rank, top[34].Rank)
	t.Logf("top agent %s with %s", top[0].Unit, top[0].Value.Decimal)
}
