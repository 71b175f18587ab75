package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Deals drive the facts: the host sends deal histories only, re-sends them
// as they change, and the funnel's counts and the won revenue follow, each
// event counted once.
func ExampleEngine_PutDeals() {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	crm := funnel.Funnel{Key: "crm", Won: "won", Lost: "lost",
		Stages: []funnel.Stage{{Key: "lead", Metric: "leads"}, {Key: "opportunity", Metric: "opportunities"}},
		Derive: &funnel.Derivation{Entries: true, Wins: true, WonValue: "revenue"}}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{
			{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2},
			{Key: "leads", Kind: goal.Count}, {Key: "opportunities", Kind: goal.Count}, {Key: "crm.won", Kind: goal.Count},
		},
		Funnels: []funnel.Funnel{crm},
		Now:     func() time.Time { return time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	if err := engine.SetOrg(ctx, []goal.Unit{{ID: "li", Kind: "rep"}}); err != nil {
		panic(err)
	}
	deal := func(id, value string, steps ...string) funnel.Deal {
		d := funnel.Deal{ID: id, Funnel: "crm", Unit: "li", Value: decimal.RequireFromString(value), Currency: "CNY"}
		for i := 0; i < len(steps); i += 2 {
			d.Transitions = append(d.Transitions, funnel.Transition{Stage: steps[i], Date: date.MustParseISO(steps[i+1])})
		}
		return d
	}
	show := func(when string) {
		fmt.Print(when, ":")
		for _, m := range []string{"leads", "opportunities", "crm.won", "revenue"} {
			t, err := store.Sum(ctx, storage.Query{Metric: m, Unit: "li", Start: date.MustParseISO("2026-01-01"), End: date.MustParseISO("2026-04-01")})
			if err != nil {
				panic(err)
			}
			fmt.Print(" ", m, " ", t.Value)
		}
		fmt.Println()
	}

	a := deal("A", "5000.00", "lead", "2026-01-05", "opportunity", "2026-01-20")
	b := deal("B", "800.00", "lead", "2026-02-02")
	if err := engine.PutDeals(ctx, []funnel.Deal{a, b}); err != nil {
		panic(err)
	}
	show("sent")
	if err := engine.PutDeals(ctx, []funnel.Deal{a, b}); err != nil {
		panic(err)
	}
	show("re-sent")
	a = deal("A", "5200.00", "lead", "2026-01-05", "opportunity", "2026-01-20", "won", "2026-03-10")
	if err := engine.PutDeal(ctx, a); err != nil {
		panic(err)
	}
	show("A won")
	a = deal("A", "4900.00", "lead", "2026-01-05", "opportunity", "2026-01-20", "won", "2026-03-10")
	if err := engine.PutDeal(ctx, a); err != nil {
		panic(err)
	}
	show("A's value corrected")
	// Output:
	// sent: leads 2 opportunities 1 crm.won 0 revenue 0
	// re-sent: leads 2 opportunities 1 crm.won 0 revenue 0
	// A won: leads 2 opportunities 1 crm.won 1 revenue 5200
	// A's value corrected: leads 2 opportunities 1 crm.won 1 revenue 4900
}
