package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// CellStatus answers for any unit and period a plan covers, also where the
// plan stores no goal: here a team's March (the sum of its reps' Marches)
// and a rep's ISO week (his March spread over its days).
func ExampleEngine_CellStatus() {
	ctx := context.Background()
	engine := q1Engine(ctx)
	asOf := date.New(2026, time.March, 16)
	for _, cell := range []struct{ unit, period string }{{"north", "2026-03"}, {"li", "2026-W10"}} {
		p, err := engine.Calendar().Parse(cell.period)
		if err != nil {
			panic(err)
		}
		s, err := engine.CellStatus(ctx, "q1", cell.unit, p, asOf)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s: target %s, actual %s\n", cell.unit, cell.period, s.Target.StringFixed(2), s.Actual.StringFixed(2))
	}
	// Output:
	// north 2026-03: target 206666.66, actual 65000.00
	// li 2026-W10: target 23333.38, actual 40000.00
}

// StatusesOf reads the goals of a dashboard in one batch: here a rep's
// March and quarter, and his region's quarter.
func ExampleEngine_StatusesOf() {
	ctx := context.Background()
	engine := q1Engine(ctx)
	q1, _ := engine.Calendar().Parse("2026-Q1")
	march, _ := engine.Calendar().Parse("2026-03")
	ids := []string{goal.GoalID("revenue", "li", march), goal.GoalID("revenue", "li", q1), goal.GoalID("revenue", "north", q1)}
	statuses, err := engine.StatusesOf(ctx, "q1", ids, date.New(2026, time.March, 16))
	if err != nil {
		panic(err)
	}
	for _, s := range statuses {
		fmt.Printf("%s: %s of %s\n", s.Goal, s.Actual.StringFixed(2), s.Target.StringFixed(2))
	}
	// Output:
	// revenue/li/2026-03: 40000.00 of 103333.33
	// revenue/li/2026-Q1: 40000.00 of 300000.00
	// revenue/north/2026-Q1: 65000.00 of 600000.00
}

// q1Engine is an example engine with plan "q1" (1,200,000 of revenue over
// 2026-Q1, decomposed down the example org) and two March deals, li's
// 40,000 and wang's 25,000.
func q1Engine(ctx context.Context) *goalkit.Engine {
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}})
	q1, _ := engine.Calendar().Parse("2026-Q1")
	if _, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director"}); err != nil {
		panic(err)
	}
	_, err := engine.Ingest(ctx, []kpi.Fact{
		{Key: "deal-1", Metric: "revenue", Unit: "li", Date: date.New(2026, time.March, 3), Value: decimal.NewFromInt(40_000)},
		{Key: "deal-2", Metric: "revenue", Unit: "wang", Date: date.New(2026, time.March, 10), Value: decimal.NewFromInt(25_000)},
	}, kpi.AllOrNothing)
	if err != nil {
		panic(err)
	}
	return engine
}
