package exchange_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/exchange"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
)

// An ERP's facts file with two bad rows: kpi.KeepGood imports the good
// ones and says where the bad ones are and what to do.
func ExampleImportFacts() {
	ctx := context.Background()
	store, _ := memory.New(memory.Config{Tenant: "acme"})
	engine, _ := goalkit.New(ctx, store, &goalkit.Config{Metrics: []goal.Metric{
		{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}}})
	_ = engine.SetOrg(ctx, []goal.Unit{{ID: "acme"}, {ID: "li", Parent: "acme"}})

	in := `key,metric,unit,date,value
inv-1,revenue,li,2026-01-05,1200.50
inv-2,revenue,li,2026-02-30,80.00
inv-3,revenue,li,2026-01-06,99.999
inv-4,revenue,li,2026-01-07,10.00
`
	res, err := exchange.ImportFacts(ctx, engine, strings.NewReader(in), exchange.CSV,
		&exchange.Options{File: "invoices.csv", Mode: kpi.KeepGood})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %d imported\n", res.Rows, res.Imported)
	for _, r := range res.Rejected {
		fmt.Println(r)
	}
	// Output:
	// 4 rows, 2 imported
	// invoices.csv:3: date "2026-02-30": not a date; write it as YYYY-MM-DD, e.g. 2026-01-31
	// invoices.csv:4: value "99.999": 99.999 has more than the 2 decimal places metric "revenue" allows; round it in the host
}

// A manager moved 100.00 of li's target from February to March and cut
// wang's January; the preview shows what changed and what no longer adds
// up before anything is saved.
func ExampleReadWide() {
	cal, _ := goal.NewCalendar(nil)
	q1, _ := cal.Parse("2026-Q1")
	months, _ := cal.Split(q1, goal.Month)
	revenue := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	goals := []goal.Goal{{ID: "north", Metric: "revenue", Unit: "north", Period: q1, Target: dec("1800")}}
	for _, rep := range []string{"li", "wang"} {
		goals = append(goals, goal.Goal{ID: rep, Parent: "north", Metric: "revenue", Unit: rep, Period: q1, Target: dec("900")})
		for _, m := range months {
			goals = append(goals, goal.Goal{ID: rep + "/" + m.Label, Parent: rep, Metric: "revenue", Unit: rep, Period: m, Target: dec("300")})
		}
	}
	p, _ := goal.NewPlan("north-q1", revenue, goals)
	_ = exchange.WriteWide(os.Stdout, p, nil)

	edited := `id,unit,2026-Q1,2026-01,2026-02,2026-03
north,north,1800.00,,,
li,li,900.00,300.00,200.00,400.00
wang,wang,900.00,250.00,300.00,300.00
`
	edit, err := exchange.ReadWide(strings.NewReader(edited), "plan.csv", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range edit.Changes {
		fmt.Printf("%s %s: %s → %s\n", c.Unit, c.Period.Label, c.Before.StringFixed(2), c.After.StringFixed(2))
	}
	for _, d := range edit.Unbalanced {
		fmt.Printf("%s is out of balance by %s\n", d.Goal, d.Unallocated.StringFixed(2))
	}
	// Output:
	// id,unit,2026-Q1,2026-01,2026-02,2026-03
	// north,north,1800.00,,,
	// li,li,900.00,300.00,300.00,300.00
	// wang,wang,900.00,300.00,300.00,300.00
	// li 2026-02: 300.00 → 200.00
	// li 2026-03: 300.00 → 400.00
	// wang 2026-01: 300.00 → 250.00
	// wang is out of balance by 50.00
}
