package goalkit_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// printTargets prints the goals of plan p that belong to unit.
func printTargets(p *goal.Plan, unit string) {
	for _, g := range p.Goals {
		if g.Unit == unit {
			fmt.Printf("  %s %s %s\n", g.Unit, g.Period.Label, g.Target.StringFixed(2))
		}
	}
}

// A fact is corrected with Replace (same key, new value) and withdrawn
// with Retract; the totals follow, and a team's total is its reps' sum.
func ExampleEngine_Replace() {
	ctx := context.Background()
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}})
	d := decimal.RequireFromString
	q1, _ := engine.Calendar().Parse("2026-Q1")
	p, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, d("1200000.00")), goalkit.Change{Actor: "director"})
	if err != nil {
		panic(err)
	}
	show := func(when string) {
		for _, unit := range []string{"li", "north"} {
			s, err := engine.Status(ctx, p.ID, goal.GoalID("revenue", unit, q1), date.New(2026, 3, 31))
			if err != nil {
				panic(err)
			}
			fmt.Printf("%s: %s %s\n", when, unit, s.Actual.StringFixed(2))
		}
	}
	facts := []kpi.Fact{
		{Key: "order:1", Metric: "revenue", Unit: "li", Date: date.New(2026, 1, 12), Value: d("80000.00")},
		{Key: "order:2", Metric: "revenue", Unit: "wang", Date: date.New(2026, 2, 3), Value: d("20000.00")},
	}
	if _, err := engine.Ingest(ctx, facts, kpi.AllOrNothing); err != nil {
		panic(err)
	}
	show("ingested")
	facts[0].Value = d("85000.00")
	if err := engine.Replace(ctx, facts[0]); err != nil {
		panic(err)
	}
	show("replaced")
	if err := engine.Retract(ctx, "order:1"); err != nil {
		panic(err)
	}
	show("retracted")
	// Output:
	// ingested: li 80000.00
	// ingested: north 100000.00
	// replaced: li 85000.00
	// replaced: north 105000.00
	// retracted: li 0.00
	// retracted: north 20000.00
}

// Replan re-plans as of a day, here the engine clock's today: January is closed and keeps its
// target, and with goal.CatchUp what li missed in January is spread over
// February and March.
func ExampleEngine_Replan() {
	ctx := context.Background()
	clock := goalkittest.NewClock(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC))
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}, Now: clock.Now})
	q1, _ := engine.Calendar().Parse("2026-Q1")
	if _, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director"}); err != nil {
		panic(err)
	}
	jan := kpi.Fact{Key: "order:1", Metric: "revenue", Unit: "li", Date: date.New(2026, 1, 20), Value: decimal.NewFromInt(70000)}
	if _, err := engine.Ingest(ctx, []kpi.Fact{jan}, kpi.AllOrNothing); err != nil {
		panic(err)
	}
	p, reports, err := engine.Replan(ctx, "q1", engine.Today(), goal.CatchUp, goalkit.Change{Actor: "director", Reason: "January closed"})
	if err != nil {
		panic(err)
	}
	fmt.Println("version", p.Version, "reports", len(reports))
	printTargets(p, "li")
	// Output:
	// version 2 reports 4
	//   li 2026-Q1 300000.00
	//   li 2026-01 103333.34
	//   li 2026-02 109152.54
	//   li 2026-03 120847.46
}

// SetTarget edits one goal by hand, as a manager edits a cell, if the plan
// is still at the version read; the parents are left alone, so the plan no
// longer adds up: the change says it accepts that (Unbalanced), and Check
// reports the difference to allocate.
func ExampleEngine_SetTarget() {
	ctx := context.Background()
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue()}})
	q1, _ := engine.Calendar().Parse("2026-Q1")
	p, err := engine.Decompose(ctx, goalkittest.Spec("q1", q1, decimal.NewFromInt(1_200_000)), goalkit.Change{Actor: "director"})
	if err != nil {
		panic(err)
	}
	march, _ := engine.Calendar().Parse("2026-03")
	p, err = engine.SetTarget(ctx, "q1", goal.GoalID("revenue", "li", march), decimal.NewFromInt(150000), p.Version,
		goalkit.Change{Actor: "north-manager", Reason: "li takes the big account", Unbalanced: true})
	if err != nil {
		panic(err)
	}
	printTargets(p, "li")
	for _, d := range p.Check() {
		fmt.Printf("check: %s is %s, its children sum to %s\n", d.Goal, d.Target.StringFixed(2), d.ChildrenSum.StringFixed(2))
	}
	_, err = engine.SetTarget(ctx, "q1", goal.GoalID("revenue", "li", march), decimal.NewFromInt(90000), p.Version-1, goalkit.Change{Actor: "someone"})
	fmt.Println("edit of a stale version is a conflict:", errors.Is(err, storage.ErrConflict))
	// Output:
	//   li 2026-Q1 300000.00
	//   li 2026-01 103333.34
	//   li 2026-02 93333.33
	//   li 2026-03 150000.00
	// check: revenue/li/2026-Q1 is 300000.00, its children sum to 346666.67
	// edit of a stale version is a conflict: true
}

// The reverse funnel turns a revenue target into the leads a rep must
// take in, month by month; ProcessPlan.Plan makes them a plan the engine
// stores (SavePlan) and paces like any other.
func ExampleEngine_SavePlan() {
	ctx := context.Background()
	engine := exampleEngine(ctx, &goalkit.Config{Metrics: []goal.Metric{goalkittest.Revenue(), {Key: "crm.lead", Kind: goal.Count}}})
	june, _ := engine.Calendar().Parse("2026-06")
	model := funnel.Model{
		Funnel: goalkittest.Funnel(),
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.25"), Win: decimal.RequireFromString("0.1"), Days: 14},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 30},
		},
		AvgWonValue: decimal.NewFromInt(10000), Currency: "CNY",
	}
	pp, err := funnel.Reverse(model, []funnel.Target{{Unit: "li", Period: june, Revenue: decimal.NewFromInt(95000)}},
		&funnel.ReverseOptions{Calendar: engine.Calendar()})
	if err != nil {
		panic(err)
	}
	p, err := pp.Plan("crm.lead", "north")
	if err != nil {
		panic(err)
	}
	v, err := engine.SavePlan(ctx, p, goalkit.Change{Actor: "planner", Reason: "leads for June's revenue"})
	if err != nil {
		panic(err)
	}
	fmt.Println("saved", p.ID, "version", v)
	for _, g := range p.Goals {
		fmt.Println(" ", g.Unit, g.Period.Label, g.Target)
	}
	// Output:
	// saved funnel:crm.lead/north version 1
	//   north [2026-04-01,2026-06-01) 100
	//   li [2026-04-01,2026-06-01) 100
	//   li 2026-04 43
	//   li 2026-05 57
}
