package xlsx_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// A manager gets the plan as a workbook, moves target between quarters and
// sends it back: the host previews the change, then saves it.
func Example() {
	ctx := context.Background()
	store, _ := memory.New(memory.Config{Tenant: "acme"})
	revenue := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	e, _ := goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{revenue}})
	_ = e.SetOrg(ctx, []goal.Unit{{ID: "co", Kind: "company"}, {ID: "li", Parent: "co", Kind: "rep", Name: "Li"}})
	cal, _ := goal.NewCalendar(nil)
	year, _ := cal.Parse("2026")
	h1, _ := cal.Parse("2026-H1")
	h2, _ := cal.Parse("2026-H2")
	p, _ := goal.NewPlan("fy2026", revenue, []goal.Goal{
		{ID: "co", Metric: "revenue", Unit: "co", Period: year, Target: decimal.NewFromInt(1000)},
		{ID: "li", Parent: "co", Metric: "revenue", Unit: "li", Period: year, Target: decimal.NewFromInt(1000)},
		{ID: "li/h1", Parent: "li", Metric: "revenue", Unit: "li", Period: h1, Target: decimal.NewFromInt(500)},
		{ID: "li/h2", Parent: "li", Metric: "revenue", Unit: "li", Period: h2, Target: decimal.NewFromInt(500)},
	})
	_, _ = e.SavePlan(ctx, p, goalkit.Change{Actor: "planner"})

	var book bytes.Buffer
	if err := xlsx.Export(ctx, e, &book, "fy2026"); err != nil {
		fmt.Println(err)
		return
	}

	// The manager's edit: 100 moves from the second half to the first.
	f, _ := excelize.OpenReader(&book)
	fmt.Println(f.GetSheetList())
	_ = f.SetCellValue("rep", "E2", 600)
	_ = f.SetCellValue("rep", "F2", 400)
	var edited bytes.Buffer
	_, _ = f.WriteTo(&edited)

	preview, err := xlsx.Import(ctx, e, bytes.NewReader(edited.Bytes()), "fy2026", &xlsx.Options{DryRun: true})
	fmt.Println(err, len(preview.Unbalanced), "out of balance")
	for _, c := range preview.Changes {
		fmt.Println(c.Goal, c.Before.StringFixed(2), "→", c.After.StringFixed(2))
	}
	saved, err := xlsx.Import(ctx, e, bytes.NewReader(edited.Bytes()), "fy2026", &xlsx.Options{Change: goalkit.Change{Actor: "li's manager"}})
	fmt.Println(err, "saved as version", saved.Plan.Version)
	// Output:
	// [company rep goalkit]
	// <nil> 0 out of balance
	// li/h1 500.00 → 600.00
	// li/h2 500.00 → 400.00
	// <nil> saved as version 2
}
