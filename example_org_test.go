package goalkit_test

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A rep moves to another team on 1 July: what he sold before counts for his
// old team, what he sells from then on for the new one.
func ExampleEngine_EditOrg() {
	ctx := context.Background()
	store, _ := memory.New(memory.Config{Tenant: "acme"})
	revenue := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	engine, _ := goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{revenue}})
	_ = engine.SetOrg(ctx, []goal.Unit{
		{ID: "acme"},
		{ID: "north", Parent: "acme"},
		{ID: "south", Parent: "acme"},
		{ID: "li", Parent: "north"},
	})
	sale := func(key string, d date.Date, v int64) kpi.Fact {
		return kpi.Fact{Key: key, Metric: "revenue", Unit: "li", Date: d, Value: decimal.NewFromInt(v)}
	}
	_, _ = engine.Ingest(ctx, []kpi.Fact{sale("s1", date.New(2026, 3, 1), 100)}, kpi.AllOrNothing)
	_, err := engine.EditOrg(ctx, goal.MoveUnit("li", "south", date.New(2026, 7, 1)))
	fmt.Println("moved:", err)
	_, _ = engine.Ingest(ctx, []kpi.Fact{sale("s2", date.New(2026, 8, 1), 30)}, kpi.AllOrNothing)
	for _, team := range []string{"north", "south", "acme"} {
		t, _ := store.Sum(ctx, storage.Query{Metric: "revenue", Unit: team, Subtree: true, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1)})
		fmt.Println(team, t.Value)
	}
	// Output:
	// moved: <nil>
	// north 100
	// south 30
	// acme 130
}
