package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Ingest facts idempotently and read a subtree total for March.
func Example() {
	ctx := context.Background()
	s, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	_ = s.PutUnits(ctx, []goal.Unit{
		{ID: "east", Kind: "team"},
		{ID: "ann", Parent: "east", Kind: "rep"},
		{ID: "bob", Parent: "east", Kind: "rep"},
	})
	march := date.New(2026, 3, 1)
	facts := []kpi.Fact{
		{Key: "order-1", Metric: "revenue", Unit: "ann", Date: march, Value: decimal.RequireFromString("1200.50")},
		{Key: "order-2", Metric: "revenue", Unit: "bob", Date: march + 30, Value: decimal.RequireFromString("800.25")},
		{Key: "order-3", Metric: "revenue", Unit: "bob", Date: march + 31, Value: decimal.RequireFromString("99")}, // April 1st
	}
	out, _ := s.AppendFacts(ctx, facts)
	fmt.Println(out)
	out, _ = s.AppendFacts(ctx, facts[:1]) // redelivered: counted once
	fmt.Println(out)

	tot, _ := s.Sum(ctx, storage.Query{Metric: "revenue", Unit: "east", Subtree: true, Start: march, End: date.New(2026, 4, 1)})
	fmt.Println("east in March:", tot.Value.StringFixed(2), "from", tot.Count, "facts")

	_, err = s.AppendFacts(ctx, []kpi.Fact{{Key: "order-1", Metric: "revenue", Unit: "ann", Date: march, Value: decimal.NewFromInt(5)}})
	var conflict *storage.ConflictError
	fmt.Println(errors.As(err, &conflict), conflict.Key)
	// Output:
	// [inserted inserted inserted]
	// [unchanged]
	// east in March: 2000.75 from 2 facts
	// true order-1
}

// Two managers edit the same plan; the second edit is detected, not lost.
func Example_optimisticConcurrency() {
	ctx := context.Background()
	s, _ := memory.New(memory.Config{Tenant: "acme"})
	m := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	fy := goal.Period{Grain: goal.Year, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1), Label: "2026"}
	p, _ := goal.NewPlan("fy26", m, []goal.Goal{{ID: "revenue/east/2026", Metric: "revenue", Unit: "east", Period: fy, Target: decimal.NewFromInt(1000000)}})
	_, _ = s.CreatePlan(ctx, p, nil)

	ann, _ := s.GetPlan(ctx, "fy26")
	bob, _ := s.GetPlan(ctx, "fy26")
	_ = ann.SetTarget("revenue/east/2026", decimal.NewFromInt(1200000))
	v, err := s.UpdatePlan(ctx, ann, ann.Version, []storage.AuditEntry{{Goal: "revenue/east/2026", Actor: "ann",
		Old: decimal.NewNullDecimal(decimal.NewFromInt(1000000)), New: decimal.NewNullDecimal(decimal.NewFromInt(1200000)), Reason: "new product line"}})
	fmt.Println("ann saved version", v, err)
	_ = bob.SetTarget("revenue/east/2026", decimal.NewFromInt(900000))
	_, err = s.UpdatePlan(ctx, bob, bob.Version, nil)
	fmt.Println("bob:", errors.Is(err, storage.ErrConflict))

	audit, _ := s.ListAudit(ctx, "fy26")
	for _, e := range audit {
		fmt.Println(e.Actor, e.Old.Decimal, "->", e.New.Decimal, e.Reason)
	}
	// Output:
	// ann saved version 2 <nil>
	// bob: true
	// ann 1000000 -> 1200000 new product line
}
