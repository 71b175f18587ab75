package funnel

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// handModel converts 50% of leads, 40% of qualified and 25% of proposals,
// spending 10, 20 and 30 days in them; a won deal is worth 1000 USD.
func handModel(t testing.TB) Model {
	return Model{
		Funnel: salesFunnel(),
		Stages: []StageModel{
			{Advance: dec(t, "0.5"), Win: dec(t, "0.05"), Days: 10},
			{Advance: dec(t, "0.4"), Win: dec(t, "0.1"), Days: 20},
			{Advance: dec(t, "0.25"), Win: dec(t, "0.25"), Days: 30},
		},
		AvgWonValue: dec(t, "1000"),
		Currency:    "USD",
	}
}

func month(t testing.TB, label string) goal.Period {
	t.Helper()
	cal, err := goal.NewCalendar(nil)
	require.NoError(t, err)
	p, err := cal.Parse(label)
	require.NoError(t, err)
	return p
}

// row is a process target in compact form.
type row struct {
	Metric, Unit, Period string
	Count                int64
}

func rowsOf(p *ProcessPlan) []row {
	out := make([]row, len(p.Targets))
	for i, t := range p.Targets {
		out[i] = row{t.Metric, t.Unit, t.Period.Label, t.Count}
	}
	return out
}

func TestReverseByHand(t *testing.T) {
	// June: 10,000 USD = 10 won deals → 40 proposals → 100 qualified → 200 leads.
	// Leads for deals won in June [1 Jun, 1 Jul) enter 60 days earlier,
	// [2 Apr, 2 May): 29 days of April, 1 of May → 200·29/30 = 193.3 and 6.7,
	// largest remainder gives May the odd one: 193 + 7.
	// Qualified enter 50 days earlier, [12 Apr, 12 May): 19 + 11 days →
	// 63.3 and 36.7 → 63 + 37. Proposals 30 days earlier, [2 May, 1 Jun): 40.
	// Visits (3 per qualified deal, 300) are spread over the days deals sit
	// in qualified, [12 Apr, 1 Jun): 19 + 31 days → 114 + 186 exactly.
	// Calls (2.5 per lead, 500) over [2 Apr, 12 May): 29 + 11 days → 362.5
	// and 137.5; the tie goes to the earlier period: 363 + 137.
	p, err := Reverse(handModel(t), []Target{{Unit: "rep1", Period: month(t, "2026-06"), Revenue: dec(t, "10000")}}, &ReverseOptions{
		Activities: []Activity{
			{Metric: "visits", Stage: "qualified", PerDeal: dec(t, "3")},
			{Metric: "calls", Stage: "lead", PerDeal: dec(t, "2.5")},
		},
	})
	require.NoError(t, err)
	require.Len(t, p.Needs, 1)
	n := p.Needs[0]
	require.Equal(t, int64(10), n.Won)
	require.Equal(t, []StageNeed{
		{Stage: "lead", Metric: "sales.lead", Count: 200, Lead: 60},
		{Stage: "qualified", Metric: "sales.qualified", Count: 100, Lead: 50},
		{Stage: "proposal", Metric: "sales.proposal", Count: 40, Lead: 30},
	}, n.Stages)
	require.Equal(t, []int64{300, 500}, n.Activities)
	require.Equal(t, []row{
		{"sales.lead", "rep1", "2026-04", 193},
		{"sales.lead", "rep1", "2026-05", 7},
		{"sales.qualified", "rep1", "2026-04", 63},
		{"sales.qualified", "rep1", "2026-05", 37},
		{"sales.proposal", "rep1", "2026-05", 40},
		{"sales.won", "rep1", "2026-06", 10},
		{"visits", "rep1", "2026-04", 114},
		{"visits", "rep1", "2026-05", 186},
		{"calls", "rep1", "2026-04", 363},
		{"calls", "rep1", "2026-05", 137},
	}, rowsOf(p))
}

func TestReverseRoundsUp(t *testing.T) {
	// 10,001 USD needs 11 deals; 11/0.25 = 44 proposals; 44/0.4 = 110;
	// 110/0.5 = 220 leads. 1 USD needs one whole deal.
	m := handModel(t)
	for _, tt := range []struct {
		revenue string
		want    []int64 // won, proposal, qualified, lead
	}{
		{"10001", []int64{11, 44, 110, 220}},
		{"1", []int64{1, 4, 10, 20}},
		{"0", []int64{0, 0, 0, 0}},
		{"999.99", []int64{1, 4, 10, 20}},
	} {
		p, err := Reverse(m, []Target{{Unit: "u", Period: month(t, "2026-06"), Revenue: dec(t, tt.revenue)}}, nil)
		require.NoError(t, err)
		n := p.Needs[0]
		require.Equal(t, tt.want, []int64{n.Won, n.Stages[2].Count, n.Stages[1].Count, n.Stages[0].Count}, tt.revenue)
	}
	// A conversion that is not a terminating fraction in binary: 0.3 exactly.
	m.Stages[2].Advance = dec(t, "0.3")
	p, err := Reverse(m, []Target{{Unit: "u", Period: month(t, "2026-06"), Revenue: dec(t, "3000")}}, nil)
	require.NoError(t, err)
	require.Equal(t, int64(10), p.Needs[0].Stages[2].Count, "3 ÷ 0.3 is exactly 10, not 11")
}

func TestReverseWeeksAndFromStage(t *testing.T) {
	// Plan only from qualified, weekly. Qualified for June deals enter 50
	// days earlier, [12 Apr, 12 May) 2026; 12 April is a Sunday, so ISO week
	// W15 (6–12 Apr) gets 1 day, W16..W19 7 days each, W20 (11–17 May) 1 day:
	// 100 over 1+7+7+7+7+1 = 30 days → 3.33, 23.33 ×4, 3.33 → 3, 23×4, 3 = 98;
	// all remainders tie at 1/3, so the two missing go to the earliest weeks.
	p, err := Reverse(handModel(t), []Target{{Unit: "rep1", Period: month(t, "2026-06"), Revenue: dec(t, "10000")}},
		&ReverseOptions{Grain: goal.Week, FromStage: "qualified"})
	require.NoError(t, err)
	var got []row
	for _, r := range rowsOf(p) {
		if r.Metric == "sales.qualified" {
			got = append(got, r)
		}
	}
	require.Equal(t, []row{
		{"sales.qualified", "rep1", "2026-W15", 4},
		{"sales.qualified", "rep1", "2026-W16", 24},
		{"sales.qualified", "rep1", "2026-W17", 23},
		{"sales.qualified", "rep1", "2026-W18", 23},
		{"sales.qualified", "rep1", "2026-W19", 23},
		{"sales.qualified", "rep1", "2026-W20", 3},
	}, got)
	require.Len(t, p.Needs[0].Stages, 2, "lead is not planned")
	for _, r := range p.Targets {
		require.NotEqual(t, "sales.lead", r.Metric)
	}
}

func TestReversePlans(t *testing.T) {
	m := handModel(t)
	targets := []Target{
		{Unit: "rep1", Period: month(t, "2026-06"), Revenue: dec(t, "10000")},
		{Unit: "rep2", Period: month(t, "2026-06"), Revenue: dec(t, "4000")},
		{Unit: "rep1", Period: month(t, "2026-07"), Revenue: dec(t, "5000")},
	}
	p, err := Reverse(m, targets, nil)
	require.NoError(t, err)
	metrics := p.Metrics()
	require.Len(t, metrics, 4)
	require.Equal(t, goal.Metric{Key: "sales.lead", Name: "Lead", Kind: goal.Count}, metrics[0])
	require.Equal(t, "won", metrics[3].Name)
	for _, mt := range metrics {
		require.NoError(t, mt.Validate())
	}

	plan, err := p.Plan("sales.lead", "A")
	require.NoError(t, err)
	require.Empty(t, plan.Check(), "the plan is exact at every level")
	// rep1: June 200 leads, July 5 deals → 20 proposals → 50 → 100 leads;
	// rep2: 4 deals → 16 → 40 → 80 leads. Root: 380.
	requireDec(t, "380", plan.Root().Target)
	// July's leads enter [2 May, 2 Jun), so the plan runs into June.
	require.Equal(t, "[2026-04-01,2026-07-01)", plan.Root().Period.Label)
	// The IDs ProcessPlan.Plan documents.
	require.Equal(t, "funnel:sales.lead/A", plan.ID)
	require.Equal(t, "sales.lead/A/[2026-04-01,2026-07-01)", plan.Root().ID)
	kids := plan.Children(plan.Root().ID)
	require.Len(t, kids, 2)
	require.Equal(t, "sales.lead/rep1/[2026-04-01,2026-07-01)", kids[0].ID)
	require.Equal(t, "sales.lead/rep1/2026-04", plan.Children(kids[0].ID)[0].ID)
	requireDec(t, "300", kids[0].Target)
	requireDec(t, "80", kids[1].Target)

	// One unit as its own root: periods hang directly under the root.
	solo, err := Reverse(m, targets[:1], nil)
	require.NoError(t, err)
	plan, err = solo.Plan("sales.won", "rep1")
	require.NoError(t, err)
	require.Empty(t, plan.Check())
	require.Len(t, plan.Goals, 2)

	_, err = p.Plan("sales.nothing", "A")
	require.ErrorIs(t, err, ErrNotFound)
	_, err = p.Plan("sales.lead", "")
	require.ErrorIs(t, err, ErrInvalid)

	goals := p.Goals()
	require.Len(t, goals, len(p.Targets))
	require.Equal(t, "sales.lead/rep1/2026-04", goals[0].ID)
}

func TestTargetsFromPlan(t *testing.T) {
	rev := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "USD", Places: 2}
	q := goal.Period{Grain: goal.Range, Start: month(t, "2026-06").Start, End: month(t, "2026-08").Start, Label: "summer"}
	plan, err := goal.NewPlan("p", rev, []goal.Goal{
		{ID: "root", Metric: "revenue", Unit: "A", Period: q, Target: dec(t, "15000")},
		{ID: "jun", Parent: "root", Metric: "revenue", Unit: "rep1", Period: month(t, "2026-06"), Target: dec(t, "10000")},
		{ID: "jul", Parent: "root", Metric: "revenue", Unit: "rep1", Period: month(t, "2026-07"), Target: dec(t, "5000")},
	})
	require.NoError(t, err)
	targets, err := TargetsFromPlan(plan)
	require.NoError(t, err)
	require.Len(t, targets, 2)
	require.Equal(t, "rep1", targets[1].Unit)
	require.Equal(t, "USD", targets[1].Currency)
	requireDec(t, "5000", targets[1].Revenue)

	m := handModel(t)
	m.Currency = "EUR"
	_, err = Reverse(m, targets, nil)
	require.ErrorIs(t, err, ErrCurrencyMismatch)

	calls, err := goal.NewPlan("c", goal.Metric{Key: "calls", Kind: goal.Count}, []goal.Goal{{ID: "r", Metric: "calls", Unit: "A", Period: q}})
	require.NoError(t, err)
	_, err = TargetsFromPlan(calls)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = TargetsFromPlan(nil)
	require.ErrorIs(t, err, ErrInvalid)
}

func TestReverseErrors(t *testing.T) {
	june := month(t, "2026-06")
	ok := []Target{{Unit: "u", Period: june, Revenue: decimal.NewFromInt(1000)}}
	zero := func(edit func(*Model)) Model { m := handModel(t); edit(&m); return m }
	tests := []struct {
		name    string
		m       Model
		targets []Target
		opts    *ReverseOptions
		is      error
		msg     string
	}{
		{"zero conversion", zero(func(m *Model) { m.Stages[1].Advance = decimal.Zero }), ok, nil, ErrInfeasible, "stage \"qualified\""},
		{"zero avg value", zero(func(m *Model) { m.AvgWonValue = decimal.Zero }), ok, nil, ErrInfeasible, "average value 0"},
		{"rate as percent", zero(func(m *Model) { m.Stages[0].Advance = decimal.NewFromInt(50) }), ok, nil, ErrInvalid, "0.25, not 25"},
		{"negative days", zero(func(m *Model) { m.Stages[0].Days = -1 }), ok, nil, ErrInvalid, "duration"},
		{"stage count", zero(func(m *Model) { m.Stages = m.Stages[:2] }), ok, nil, ErrInvalid, "2 stage models for 3 stages"},
		{"negative revenue", handModel(t), []Target{{Unit: "u", Period: june, Revenue: decimal.NewFromInt(-1)}}, nil, ErrInvalid, "negative"},
		{"no unit", handModel(t), []Target{{Period: june, Revenue: decimal.NewFromInt(1)}}, nil, ErrInvalid, "unit is empty"},
		{"empty period", handModel(t), []Target{{Unit: "u", Revenue: decimal.NewFromInt(1)}}, nil, ErrInvalid, "period is empty"},
		{"too many", handModel(t), []Target{{Unit: "u", Period: june, Revenue: dec(t, "1e20")}}, nil, ErrInvalid, "more than"},
		{"unknown from stage", handModel(t), ok, &ReverseOptions{FromStage: "demo"}, ErrNotFound, "demo"},
		{"bad grain", handModel(t), ok, &ReverseOptions{Grain: goal.Grain(42)}, ErrInvalid, "grain"},
		{"activity before from", handModel(t), ok, &ReverseOptions{FromStage: "proposal", Activities: []Activity{{Metric: "calls", Stage: "lead", PerDeal: decimal.NewFromInt(1)}}}, ErrInvalid, "before FromStage"},
		{"activity unknown stage", handModel(t), ok, &ReverseOptions{Activities: []Activity{{Metric: "calls", Stage: "won", PerDeal: decimal.NewFromInt(1)}}}, ErrNotFound, "not an open stage"},
		{"activity no metric", handModel(t), ok, &ReverseOptions{Activities: []Activity{{Stage: "lead", PerDeal: decimal.NewFromInt(1)}}}, ErrInvalid, "metric is empty"},
		{"activity on a stage metric", handModel(t), ok, &ReverseOptions{Activities: []Activity{{Metric: "sales.qualified", Stage: "lead", PerDeal: decimal.NewFromInt(1)}}}, ErrInvalid, "own metric"},
		{"activity negative", handModel(t), ok, &ReverseOptions{Activities: []Activity{{Metric: "calls", Stage: "lead", PerDeal: decimal.NewFromInt(-1)}}}, ErrInvalid, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Reverse(tt.m, tt.targets, tt.opts)
			require.ErrorIs(t, err, tt.is)
			require.Contains(t, err.Error(), tt.msg)
		})
	}
}
