package goal_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The plan stores the region's year and its reps' months; TargetOf answers
// for the region's March and for a rep's week across two months.
func ExamplePlan_TargetOf() {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "north"}, {ID: "li", Parent: "north"}, {ID: "wang", Parent: "north"},
	})
	if err != nil {
		panic(err)
	}
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		panic(err)
	}
	year, _ := cal.PeriodOf(goal.Year, date.New(2026, time.January, 1))
	plan, err := goal.Decompose(org, cal, goal.Spec{
		PlanID: "FY2026",
		Metric: goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2},
		Unit:   "north", Period: year, Target: decimal.RequireFromString("730000.00"),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}},
	})
	if err != nil {
		panic(err)
	}
	split := goal.DaySplit{Calendar: cal, Org: org}
	march, _ := cal.PeriodOf(goal.Month, date.New(2026, time.March, 1))
	week, _ := cal.PeriodOf(goal.Week, date.New(2026, time.March, 30)) // 30 March – 5 April
	for _, cell := range []struct {
		unit   string
		period goal.Period
	}{{"north", march}, {"li", march}, {"li", week}} {
		v, err := plan.TargetOf(cell.unit, cell.period, split)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-5s %-8s %9s\n", cell.unit, cell.period, v.StringFixed(2))
	}
	// Output:
	// north 2026-03   62000.00
	// li    2026-03   31000.00
	// li    2026-W14   7000.00
}
