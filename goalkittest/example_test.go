package goalkittest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A test of a host's alerting: the fixtures' org and plan on an engine with
// a fake clock and a recording notifier, a seeded stream of facts, and one
// evaluation whose notifications are delivered to the recorder.
func Example() {
	ctx := context.Background()
	clock := goalkittest.NewClock(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
	rec := &alert.Recorder{}
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics:  []goal.Metric{goalkittest.Revenue()},
		Now:      clock.Now,
		Notifier: rec,
		Rules:    goalkit.Rules{Pace: map[string]alert.PaceRule{"revenue": {Dispersion: 20000}}},
	})
	if err != nil {
		panic(err)
	}
	if err := engine.SetOrg(ctx, goalkittest.Org()); err != nil {
		panic(err)
	}
	q1, _ := engine.Calendar().Parse("2026-Q1")
	if _, err := engine.Decompose(ctx, goalkittest.Spec("acme-q1", q1, decimal.NewFromInt(2_000_000)), goalkit.Change{Actor: "test"}); err != nil {
		panic(err)
	}
	facts, err := goalkittest.Facts(42, 40, date.New(2026, 1, 1), date.New(2026, 3, 20))
	if err != nil {
		panic(err)
	}
	if _, err := engine.Ingest(ctx, facts, kpi.AllOrNothing); err != nil {
		panic(err)
	}
	ev, err := engine.Evaluate(ctx, engine.Today())
	if err != nil {
		panic(err)
	}
	sent, err := engine.Deliver(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("goals:", ev.Goals, "sent:", sent)
	for _, n := range rec.Notifications() {
		fmt.Println(n.Kind, n.Rule, n.Unit, n.Labels[alert.LabelPeriod])
	}
	// Output:
	// goals: 11 sent: 1
	// firing pace acme [2026-01-01,2026-04-01)
}
