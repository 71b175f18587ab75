package goal_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func ExampleAllocate() {
	shares, err := goal.Allocate(goal.Allocation{
		Total:  decimal.RequireFromString("100.00"),
		Places: 2,
		Shares: []goal.Share{
			{Weight: decimal.NewFromInt(1)},
			{Weight: decimal.NewFromInt(1)},
			{Weight: decimal.NewFromInt(1)},
			// A manager fixed this one; the others share the rest.
			{Lock: decimal.NewNullDecimal(decimal.RequireFromString("10.00"))},
		},
	})
	if err != nil {
		panic(err)
	}
	for _, s := range shares {
		fmt.Println(s.StringFixed(2))
	}
	// Output:
	// 30.00
	// 30.00
	// 30.00
	// 10.00
}

func ExampleAllocate_bounds() {
	shares, err := goal.Allocate(goal.Allocation{
		Total:  decimal.NewFromInt(100),
		Places: 0,
		Shares: []goal.Share{
			{Weight: decimal.NewFromInt(8), Max: decimal.NewNullDecimal(decimal.NewFromInt(50))},
			{Weight: decimal.NewFromInt(1)},
			{Weight: decimal.NewFromInt(1)},
		},
	})
	fmt.Println(shares, err)
	// Output: [50 25 25] <nil>
}

func ExampleDecompose() {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "acme", Kind: "company"},
		{ID: "north", Parent: "acme", Kind: "region"},
		{ID: "south", Parent: "acme", Kind: "region"},
		{ID: "li", Parent: "north", Kind: "rep"},
		{ID: "wang", Parent: "north", Kind: "rep", ActiveFrom: date.New(2026, time.July, 1)},
		{ID: "zhao", Parent: "south", Kind: "rep"},
	})
	if err != nil {
		panic(err)
	}
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		panic(err)
	}
	year, _ := cal.PeriodOf(goal.Year, date.New(2026, time.January, 1))
	lastYear := map[string]decimal.Decimal{
		"li":   decimal.NewFromInt(600_000),
		"zhao": decimal.NewFromInt(400_000),
		// wang is new and joins on 1 July: the even blend still gives him
		// a share, for half a year.
	}
	plan, err := goal.Decompose(org, cal, goal.Spec{
		PlanID: "FY2026",
		Metric: goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2},
		Unit:   "acme",
		Period: year,
		Target: decimal.RequireFromString("1200000.00"),
		Units:  []goal.UnitRule{{By: goal.HistorySplit, Values: lastYear, EvenBlend: decimal.RequireFromString("0.2")}},
		Time:   goal.TimeRule{Steps: []goal.Grain{goal.Quarter}, Basis: goal.ByWorkingDays},
	})
	if err != nil {
		panic(err)
	}
	for _, g := range plan.Goals {
		fmt.Printf("%-22s %12s\n", g.ID, g.Target.StringFixed(2))
	}
	fmt.Println("discrepancies:", len(plan.Check()))
	// Output:
	// revenue/acme/2026        1200000.00
	// revenue/north/2026        696000.00
	// revenue/south/2026        504000.00
	// revenue/li/2026           659083.31
	// revenue/wang/2026          36916.69
	// revenue/zhao/2026         504000.00
	// revenue/li/2026-Q1        161614.30
	// revenue/li/2026-Q2        164139.52
	// revenue/li/2026-Q3        166664.75
	// revenue/li/2026-Q4        166664.74
	// revenue/wang/2026-Q1           0.00
	// revenue/wang/2026-Q2           0.00
	// revenue/wang/2026-Q3       18458.35
	// revenue/wang/2026-Q4       18458.34
	// revenue/zhao/2026-Q1      123586.21
	// revenue/zhao/2026-Q2      125517.24
	// revenue/zhao/2026-Q3      127448.28
	// revenue/zhao/2026-Q4      127448.27
	// discrepancies: 0
}

func ExampleReplan() {
	org, _ := goal.NewOrg([]goal.Unit{{ID: "li"}})
	cal, _ := goal.NewCalendar(nil)
	half, _ := cal.PeriodOf(goal.Half, date.New(2026, time.January, 1))
	plan, err := goal.Decompose(org, cal, goal.Spec{
		Metric: goal.Metric{Key: "visits", Kind: goal.Count},
		Unit:   "li", Period: half, Target: decimal.NewFromInt(600),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	})
	if err != nil {
		panic(err)
	}
	// Q1 is over and li made 250 visits against 299 planned: the 350 still
	// needed are spread over April–June in proportion to their targets.
	actuals := map[string]decimal.Decimal{
		"visits/li/2026-01": decimal.NewFromInt(70),
		"visits/li/2026-02": decimal.NewFromInt(80),
		"visits/li/2026-03": decimal.NewFromInt(100),
	}
	replanned, reports, err := goal.Replan(plan, goal.ReplanSpec{AsOf: date.New(2026, time.April, 1), Actuals: actuals})
	if err != nil {
		panic(err)
	}
	for i, g := range replanned.Goals[1:] {
		fmt.Println(g.Period.Label, plan.Goals[i+1].Target, "→", g.Target)
	}
	r := reports[0]
	fmt.Println("shortfall", r.Shortfall, "open", r.OpenTarget, "→", r.NewOpenTarget)
	// Output:
	// 2026-01 103 → 103
	// 2026-02 93 → 93
	// 2026-03 103 → 103
	// 2026-04 99 → 115
	// 2026-05 103 → 120
	// 2026-06 99 → 115
	// shortfall 49 open 301 → 350
}
