package goal_test

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// A director raises one region's target and lets it roll up to the
// company, then compares the two versions of the plan.
func ExampleDiff() {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "acme"}, {ID: "north", Parent: "acme"}, {ID: "south", Parent: "acme"},
		{ID: "li", Parent: "north"}, {ID: "wang", Parent: "north"}, {ID: "zhao", Parent: "south"},
	})
	if err != nil {
		panic(err)
	}
	cal, err := goal.NewCalendar(nil)
	if err != nil {
		panic(err)
	}
	year, err := cal.Parse("2026")
	if err != nil {
		panic(err)
	}
	board, err := goal.Decompose(org, cal, goal.Spec{
		PlanID: "FY2026",
		Metric: goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2},
		Unit:   "acme", Period: year, Target: decimal.RequireFromString("1000000.00"),
	})
	if err != nil {
		panic(err)
	}
	replanned, changed, err := goal.EditTarget(board, goal.Edit{
		Goal:   "revenue/north/2026",
		Target: decimal.RequireFromString("600000.00"),
		Mode:   goal.RollUp, // the company target grows with it
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("changed:", changed, "discrepancies:", len(replanned.Check()))
	diff, err := goal.Diff(board, replanned)
	if err != nil {
		panic(err)
	}
	for _, c := range diff {
		fmt.Printf("%-20s %-6s %10s → %10s (%+.2f)\n", c.Goal, c.Kind, c.Before.StringFixed(2), c.After.StringFixed(2), c.Delta.InexactFloat64())
	}
	// Output:
	// changed: [revenue/acme/2026 revenue/north/2026 revenue/li/2026 revenue/wang/2026] discrepancies: 0
	// revenue/acme/2026    moved  1000000.00 → 1100000.00 (+100000.00)
	// revenue/north/2026   moved   500000.00 →  600000.00 (+100000.00)
	// revenue/li/2026      moved   250000.00 →  300000.00 (+50000.00)
	// revenue/wang/2026    moved   250000.00 →  300000.00 (+50000.00)
}
