package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// An engine on the in-memory store: a team's quarter split evenly over its
// two reps and over months by a back-loaded 1:2:3 profile, a few deals (one
// shared), and where everyone stands in mid-February, paced on the plan's
// own curve rather than a straight line.
func Example() {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	revenue := goal.Metric{Key: "revenue", Name: "Contract amount", Kind: goal.Amount, Currency: "CNY", Places: 2}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{revenue},
		Now:     func() time.Time { return time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	err = engine.SetOrg(ctx, []goal.Unit{
		{ID: "north", Kind: "team"},
		{ID: "li", Parent: "north", Kind: "rep"},
		{ID: "wang", Parent: "north", Kind: "rep"},
	})
	if err != nil {
		panic(err)
	}

	q1, _ := engine.Calendar().Parse("2026-Q1")
	d := decimal.RequireFromString
	plan, err := engine.Decompose(ctx, goal.Spec{
		PlanID: "north-2026-Q1", Metric: revenue, Unit: "north", Period: q1, Target: d("600000.00"),
		Time: goal.TimeRule{Steps: []goal.Grain{goal.Month}, Seasonal: &goal.Profile{d("1"), d("2"), d("3")}},
	}, goalkit.Change{Actor: "sales-director", Reason: "Q1 plan"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d goals, %d discrepancies\n", len(plan.Goals), len(plan.Check()))

	res, err := engine.Ingest(ctx, []kpi.Fact{
		{Key: "crm:deal:1", Metric: "revenue", Unit: "li", Date: date.New(2026, 1, 20), Value: d("90000.00")},
		{Key: "crm:deal:2", Metric: "revenue", Unit: "wang", Date: date.New(2026, 2, 3), Value: d("30000.00")},
		{Key: "crm:deal:3", Metric: "revenue", Date: date.New(2026, 2, 10), Value: d("60000.00"),
			Credits: []kpi.Credit{{Unit: "li", Share: d("0.5")}, {Unit: "wang", Share: d("0.5")}}},
		{Key: "crm:deal:4", Metric: "revenue", Unit: "li", Date: date.New(2026, 2, 16), Value: d("50000.00")},
	}, kpi.AllOrNothing)
	if err != nil {
		panic(err)
	}
	fmt.Println("inserted:", res.Inserted)

	statuses, err := engine.Statuses(ctx, plan.ID, date.New(2026, 2, 13))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%-6s %-8s %10s %10s %10s %8s %8s %10s\n", "unit", "period", "target", "actual", "expected", "attain", "progress", "projected")
	for _, s := range statuses {
		fmt.Printf("%-6s %-8s %10s %10s %10s %8s %8s %10s\n", s.Unit, s.Period.Label, s.Target.StringFixed(2), s.Actual.StringFixed(2),
			s.Expected.StringFixed(2), s.Attainment.Decimal.StringFixed(4), s.TimeProgress.StringFixed(4), s.Projected.Decimal.StringFixed(2))
	}
	// Output:
	// 9 goals, 0 discrepancies
	// inserted: 4
	// unit   period       target     actual   expected   attain progress  projected
	// north  2026-Q1   600000.00  180000.00  200000.00   0.3000   0.3333  540000.00
	// li     2026-Q1   300000.00  120000.00  100000.00   0.4000   0.3333  360000.00
	// wang   2026-Q1   300000.00   60000.00  100000.00   0.2000   0.3333  180000.00
	// li     2026-01    50000.00   90000.00   50000.00   1.8000   1.0000   90000.00
	// li     2026-02   100000.00   30000.00   50000.00   0.3000   0.5000   60000.00
	// wang   2026-01    50000.00       0.00   50000.00   0.0000   1.0000       0.00
	// wang   2026-02   100000.00   60000.00   50000.00   0.6000   0.5000  120000.00
}
