package funnel_test

import (
	"fmt"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// leads is a funnel of 线索 (lead) → 商机 (opportunity) → 赢单 (won).
func leads() funnel.Funnel {
	return funnel.Funnel{
		Key:    "crm",
		Stages: []funnel.Stage{{Key: "lead", Name: "线索"}, {Key: "opportunity", Name: "商机"}},
		Won:    "won", Lost: "lost", Invalid: "invalid",
	}
}

func ExampleMeasure() {
	d := date.MustParseISO
	deal := func(id, value string, steps ...funnel.Transition) funnel.Deal {
		return funnel.Deal{ID: id, Unit: "rep1", Value: decimal.RequireFromString(value), Currency: "CNY", Transitions: steps}
	}
	tr := func(stage, day string) funnel.Transition { return funnel.Transition{Stage: stage, Date: d(day)} }
	deals := []funnel.Deal{
		deal("a", "12000", tr("lead", "2026-03-02"), tr("opportunity", "2026-03-09"), tr("won", "2026-04-20")),
		deal("b", "0", tr("lead", "2026-03-03"), tr("opportunity", "2026-03-20"), tr("lost", "2026-04-02")),
		deal("c", "0", tr("lead", "2026-03-05"), tr("invalid", "2026-03-06")),
		deal("d", "8000", tr("lead", "2026-03-10"), tr("won", "2026-05-02")), // skips the opportunity stage
		deal("e", "5000", tr("lead", "2026-03-12")),                          // still open
	}
	m, err := funnel.Measure(leads(), deals, funnel.MeasureOptions{AsOf: d("2026-06-30")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range m.Stages {
		fmt.Printf("%-11s entered %d, open %d, advanced %d/%d = %s [%s, %s], won %d/%d, median %d days\n",
			s.Stage, s.Entered, s.OpenHere, s.Advance.Hits, s.Advance.Trials, s.Advance.Rate.StringFixed(2),
			s.Advance.Low.StringFixed(2), s.Advance.High.StringFixed(2), s.Win.Hits, s.Win.Trials, s.Days.Median)
	}
	fmt.Printf("won %d deals worth %s, %s on average\n", m.Won, m.WonValue, m.AvgWonValue.StringFixed(2))
	// Output:
	// lead        entered 5, open 1, advanced 3/4 = 0.75 [0.30, 0.95], won 2/4, median 17 days
	// opportunity entered 3, open 0, advanced 2/3 = 0.67 [0.21, 0.94], won 2/3, median 42 days
	// won 2 deals worth 20000, 10000.00 on average
}

func ExampleReverse() {
	cal, _ := goal.NewCalendar(nil)
	june, _ := cal.Parse("2026-06")
	model := funnel.Model{
		Funnel: leads(),
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.25"), Win: decimal.RequireFromString("0.1"), Days: 14},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 30},
		},
		AvgWonValue: decimal.NewFromInt(10000),
		Currency:    "CNY",
	}
	plan, err := funnel.Reverse(model, []funnel.Target{{Unit: "rep1", Period: june, Revenue: decimal.NewFromInt(95000)}}, &funnel.ReverseOptions{
		Calendar: cal,
		Activities: []funnel.Activity{
			{Metric: "calls", Stage: "lead", PerDeal: decimal.NewFromInt(5)},
			{Metric: "visits", Stage: "opportunity", PerDeal: decimal.NewFromInt(3)},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	n := plan.Needs[0]
	// Leads for June's deals come 14 + 30 days earlier, [18 Apr, 18 May):
	// 13 days in April, 17 in May. Calls happen while deals are leads,
	// [18 Apr, 1 Jun); visits while they are opportunities, [2 May, 1 Jul).
	fmt.Printf("95000 in June: %d won ← %d opportunities ← %d leads\n", n.Won, n.Stages[1].Count, n.Stages[0].Count)
	for _, t := range plan.Targets {
		fmt.Printf("%-15s %s %4d\n", t.Metric, t.Period.Label, t.Count)
	}
	// Output:
	// 95000 in June: 10 won ← 25 opportunities ← 100 leads
	// crm.lead        2026-04   43
	// crm.lead        2026-05   57
	// crm.opportunity 2026-05   25
	// crm.won         2026-06   10
	// calls           2026-04  148
	// calls           2026-05  352
	// visits          2026-05   38
	// visits          2026-06   37
}

func ExamplePipeline() {
	d := date.MustParseISO
	f := leads()
	f.Stages[0].Probability = decimal.NewNullDecimal(decimal.RequireFromString("0.1"))
	f.Stages[1].Probability = decimal.NewNullDecimal(decimal.RequireFromString("0.6"))
	model := funnel.Model{
		Funnel: f,
		Stages: []funnel.StageModel{{Win: decimal.RequireFromString("0.1"), Days: 14}, {Win: decimal.RequireFromString("0.6"), Days: 30}},
	}
	deals := []funnel.Deal{
		{ID: "a", Unit: "rep1", Value: decimal.NewFromInt(20000), Transitions: []funnel.Transition{{Stage: "lead", Date: d("2026-06-01")}}},
		{ID: "b", Unit: "rep1", Value: decimal.NewFromInt(50000), Transitions: []funnel.Transition{{Stage: "opportunity", Date: d("2026-06-10")}}},
		{ID: "c", Unit: "rep1", Value: decimal.NewFromInt(30000), Transitions: []funnel.Transition{{Stage: "opportunity", Date: d("2026-05-01")}}},
	}
	rows, err := funnel.Pipeline(model, deals, d("2026-06-15"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%s: %d deals, %s open, %s weighted\n", r.Period.Label, r.Deals, r.Value, r.Weighted)
	}
	_, weighted := funnel.SumPipeline(rows, "rep1", goal.Period{Start: d("2026-06-01"), End: d("2026-10-01")})
	coverage, _ := funnel.Coverage(weighted, decimal.NewFromInt(40000))
	fmt.Println("coverage of the 40000 still to win:", coverage)
	// Output:
	// 2026-06: 1 deals, 30000 open, 18000 weighted
	// 2026-07: 2 deals, 70000 open, 32000 weighted
	// coverage of the 40000 still to win: 1.25
}

func ExampleMeasureByUnit() {
	d := date.MustParseISO
	org, _ := goal.NewOrg([]goal.Unit{{ID: "team"}, {ID: "ann", Parent: "team"}, {ID: "bob", Parent: "team"}})
	var deals []funnel.Deal
	add := func(unit string, n int, outcome string) {
		for range n {
			deals = append(deals, funnel.Deal{
				ID: fmt.Sprintf("%s-%d", unit, len(deals)), Unit: unit, Value: decimal.NewFromInt(1000),
				Transitions: []funnel.Transition{{Stage: "opportunity", Date: d("2026-03-02")}, {Stage: outcome, Date: d("2026-04-01")}},
			})
		}
	}
	add("ann", 60, "won") // ann: 60 of 100 won
	add("ann", 40, "lost")
	add("bob", 3, "won") // bob: 3 of 3 won, a sample too small to trust
	ms, err := funnel.MeasureByUnit(leads(), deals, org, funnel.MeasureOptions{AsOf: d("2026-06-30")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, m := range ms {
		w := m.Stages[1].Win
		fmt.Printf("%-4s won %3d/%3d = %s, 95%% [%s, %s], smoothed %s\n", org.At(i).ID, w.Hits, w.Trials,
			w.Rate.StringFixed(3), w.Low.StringFixed(3), w.High.StringFixed(3), w.Smoothed.StringFixed(3))
	}
	// Output:
	// team won  63/103 = 0.612, 95% [0.515, 0.700], smoothed 0.612
	// ann  won  60/100 = 0.600, 95% [0.502, 0.691], smoothed 0.602
	// bob  won   3/  3 = 1.000, 95% [0.439, 1.000], smoothed 0.662
}
