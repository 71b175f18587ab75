package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// exampleEngine is an engine on a fresh in-memory store for tenant "acme"
// with cfg, on the org of goalkittest (teams north and south, reps li, wang,
// zhao and chen).
func exampleEngine(ctx context.Context, cfg *goalkit.Config) *goalkit.Engine {
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	engine, err := goalkit.New(ctx, store, cfg)
	if err != nil {
		panic(err)
	}
	if err := engine.SetOrg(ctx, goalkittest.Org()); err != nil {
		panic(err)
	}
	return engine
}

// Evaluate records what fired in the store's outbox, in the same
// transaction as the alert states; Deliver then sends it through the
// Notifier, each notification once. Here li needs 220 calls in March (10 a
// working day) and has made 10 by the 5th: the pace rule fires, and when he
// catches up on the 9th it resolves.
func ExampleEngine_Deliver() {
	ctx := context.Background()
	clock := goalkittest.NewClock(date.New(2026, 3, 5).MidnightUTC())
	rec := &alert.Recorder{}
	calls := goal.Metric{Key: "calls", Kind: goal.Count}
	engine := exampleEngine(ctx, &goalkit.Config{
		Metrics:  []goal.Metric{calls},
		Now:      clock.Now,
		Notifier: rec,
		Rules:    goalkit.Rules{Pace: map[string]alert.PaceRule{"calls": {Dispersion: 1}}},
	})
	march, _ := engine.Calendar().Parse("2026-03")
	_, err := engine.Decompose(ctx, goal.Spec{PlanID: "li-calls", Metric: calls, Unit: "li", Period: march, Target: decimal.NewFromInt(220)},
		goalkit.Change{Actor: "manager"})
	if err != nil {
		panic(err)
	}
	step := func(day date.Date, made int64) {
		if made > 0 {
			f := kpi.Fact{Key: "calls:" + day.String(), Metric: "calls", Unit: "li", Date: day, Value: decimal.NewFromInt(made)}
			if _, err := engine.Ingest(ctx, []kpi.Fact{f}, kpi.AllOrNothing); err != nil {
				panic(err)
			}
		}
		clock.Set(day.MidnightUTC())
		ev, err := engine.Evaluate(ctx, day)
		if err != nil {
			panic(err)
		}
		sent, err := engine.Deliver(ctx)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d notification(s) due, %d sent\n", day, len(ev.Notifications), sent)
	}
	step(date.New(2026, 3, 2), 10)
	step(date.New(2026, 3, 5), 0)
	step(date.New(2026, 3, 6), 0)
	step(date.New(2026, 3, 9), 50)
	for _, n := range rec.Notifications() {
		fmt.Printf("%s %s to %s: %s calls against %s expected\n", n.Kind, n.Rule, n.Recipient, n.Value, n.Threshold)
	}
	// Output:
	// 2026-03-02: 0 notification(s) due, 0 sent
	// 2026-03-05: 1 notification(s) due, 1 sent
	// 2026-03-06: 0 notification(s) due, 0 sent
	// 2026-03-09: 1 notification(s) due, 1 sent
	// firing pace to li: 10 calls against 40 expected
	// resolved pace to li: 60 calls against 60 expected
}

// Stagnation watches open deals: a deal that has sat in a stage well past
// the stage's typical duration raises an alert for its owner, and winning
// (or losing) it resolves the alert.
func ExampleEngine_Evaluate_stagnation() {
	ctx := context.Background()
	crm := goalkittest.Funnel()
	model := funnel.Model{
		Funnel: crm,
		Stages: []funnel.StageModel{
			{Advance: decimal.RequireFromString("0.3"), Win: decimal.RequireFromString("0.12"), Days: 10},
			{Advance: decimal.RequireFromString("0.4"), Win: decimal.RequireFromString("0.4"), Days: 20},
		},
		AvgWonValue: decimal.NewFromInt(20000), Currency: "CNY",
	}
	engine := exampleEngine(ctx, &goalkit.Config{
		Metrics: []goal.Metric{goalkittest.Revenue()},
		Funnels: []funnel.Funnel{crm},
		Rules:   goalkit.Rules{Stagnation: []goalkit.StagnationWatch{{Model: model}}},
	})
	deal := func(id, unit string, steps ...funnel.Transition) funnel.Deal {
		return funnel.Deal{ID: id, Funnel: "crm", Unit: unit, Value: decimal.NewFromInt(20000), Currency: "CNY", Transitions: steps}
	}
	at := func(stage string, y int, m time.Month, d int) funnel.Transition {
		return funnel.Transition{Stage: stage, Date: date.New(y, m, d)}
	}
	stuck := deal("stuck", "li", at("lead", 2025, 12, 20), at("opportunity", 2026, 1, 2))
	fresh := deal("fresh", "wang", at("lead", 2026, 2, 1), at("opportunity", 2026, 2, 20))
	if err := engine.PutDeals(ctx, []funnel.Deal{stuck, fresh}); err != nil {
		panic(err)
	}
	show := func(day date.Date) {
		ev, err := engine.Evaluate(ctx, day)
		if err != nil {
			panic(err)
		}
		for _, n := range ev.Notifications {
			fmt.Printf("%s: %s %s about %s in stage %s\n", day, n.Kind, n.Rule, n.Unit, n.Labels[alert.LabelStage])
		}
	}
	show(date.New(2026, 3, 2))
	stuck.Transitions = append(stuck.Transitions, at("won", 2026, 3, 3))
	if err := engine.PutDeal(ctx, stuck); err != nil {
		panic(err)
	}
	show(date.New(2026, 3, 3))
	// Output:
	// 2026-03-02: firing stagnation about li in stage opportunity
	// 2026-03-03: resolved stagnation about li in stage opportunity
}
