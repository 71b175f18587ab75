package goalkit_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Facts the way an ERP has them: a weekly sales total straddling a month
// end, spread over its days as one fact, and an invoice in US dollars
// converted into the metric's yuan at the rate of its date. When the
// January rate is corrected, Revalue replaces the facts it touched.
func Example_rangeFactsAndCurrencies() {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	d := decimal.RequireFromString
	rates := &goalkit.RateTable{}
	if err := rates.Set("USD", "CNY", date.New(2026, 1, 1), d("7.10")); err != nil {
		panic(err)
	}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{
		Metrics: []goal.Metric{{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}},
		Rates:   rates,
	})
	if err != nil {
		panic(err)
	}
	if err := engine.SetOrg(ctx, []goal.Unit{{ID: "li"}}); err != nil {
		panic(err)
	}
	monday := date.New(2026, 1, 26)
	_, err = engine.Ingest(ctx, []kpi.Fact{
		{Key: "erp:week:2026-W05", Metric: "revenue", Unit: "li", Date: monday, End: monday + 7, Value: d("7000.00")},
		{Key: "erp:inv:88", Metric: "revenue", Unit: "li", Date: date.New(2026, 1, 30), Value: d("100.00"), Currency: "USD"},
	}, kpi.AllOrNothing)
	if err != nil {
		panic(err)
	}
	month := func(m int) string {
		t, err := store.Sum(ctx, storage.Query{Metric: "revenue", Unit: "li", Start: date.New(2026, 1, 1).AddDate(0, m-1, 0), End: date.New(2026, 1, 1).AddDate(0, m, 0)})
		if err != nil {
			panic(err)
		}
		return t.Value.StringFixed(2)
	}
	fmt.Println("January", month(1), "February", month(2))

	if err := rates.Set("USD", "CNY", date.New(2026, 1, 1), d("7.20")); err != nil {
		panic(err)
	}
	res, err := engine.Revalue(ctx, "USD", date.New(2026, 1, 1), date.New(2026, 2, 1))
	if err != nil {
		panic(err)
	}
	inv, err := store.GetFact(ctx, "erp:inv:88")
	if err != nil {
		panic(err)
	}
	fmt.Println("replaced", res.Replaced, "January", month(1), "invoice", inv.Value.StringFixed(2), "from", inv.Converted.Amount, inv.Converted.Currency, "at", inv.Converted.Rate)
	// Output:
	// January 6710.00 February 1000.00
	// replaced 1 January 6720.00 invoice 720.00 from 100 USD at 7.2
}

// IngestAll feeds many batches, one transaction each, and reports progress
// after every committed batch; a cancelled ctx stops between batches.
func ExampleEngine_IngestAll() {
	ctx := context.Background()
	store, err := memory.New(memory.Config{Tenant: "acme"})
	if err != nil {
		panic(err)
	}
	engine, err := goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{{Key: "calls", Kind: goal.Count}}})
	if err != nil {
		panic(err)
	}
	if err := engine.SetOrg(ctx, []goal.Unit{{ID: "li"}}); err != nil {
		panic(err)
	}
	var facts []kpi.Fact
	for i := range 2500 {
		facts = append(facts, kpi.Fact{Key: fmt.Sprint("call-", i), Metric: "calls", Unit: "li", Date: date.New(2026, 3, 2), Value: decimal.NewFromInt(1)})
	}
	res, err := engine.IngestAll(ctx, slices.Chunk(facts, 1000), kpi.AllOrNothing, func(p goalkit.IngestProgress) {
		fmt.Printf("batch %d: %d rows, %d facts\n", p.Batches, p.Rows, p.Facts)
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("inserted", res.Inserted)
	// Output:
	// batch 1: 1000 rows, 1000 facts
	// batch 2: 2000 rows, 2000 facts
	// batch 3: 2500 rows, 2500 facts
	// inserted 2500
}
