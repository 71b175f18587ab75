package kpi_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func exampleLedger() *kpi.Ledger {
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "acme"},
		{ID: "north", Parent: "acme"},
		{ID: "ana", Parent: "north"}, {ID: "bo", Parent: "north"},
	})
	if err != nil {
		panic(err)
	}
	cal, _ := goal.NewCalendar(nil)
	year, _ := cal.PeriodOf(goal.Year, date.New(2026, time.January, 1))
	l, err := kpi.NewLedger(kpi.LedgerConfig{
		Org:  org,
		Span: year,
		Metrics: []goal.Metric{
			{Key: "revenue", Name: "合同金额", Kind: goal.Amount, Currency: "CNY", Places: 2},
			{Key: "calls", Kind: goal.Count},
		},
	})
	if err != nil {
		panic(err)
	}
	return l
}

// Facts are idempotent by key: a re-delivered fact counts once, and the same
// key with other content is a conflict, never an overwrite. A deal split
// between two reps counts once for their team.
func Example_ingest() {
	l := exampleLedger()
	march := date.New(2026, time.March, 10)
	facts := []kpi.Fact{
		{Key: "crm:deal:17:won", Metric: "revenue", Unit: "ana", Date: march, Value: decimal.RequireFromString("1200.00")},
		{Key: "crm:deal:17:won", Metric: "revenue", Unit: "ana", Date: march, Value: decimal.RequireFromString("1200")}, // re-delivered
		{Key: "crm:deal:18:won", Metric: "revenue", Date: march, Value: decimal.RequireFromString("1000.01"),
			Credits: []kpi.Credit{{Unit: "ana", Share: decimal.RequireFromString("0.5")}, {Unit: "bo", Share: decimal.RequireFromString("0.5")}}},
		{Key: "crm:call:991", Metric: "calls", Unit: "bo", Date: march, Value: decimal.NewFromInt(1)},
	}
	res, err := l.IngestBatch(facts, kpi.AllOrNothing)
	fmt.Println(res.Added, "added,", res.Duplicates, "duplicate,", err)

	_, err = l.Ingest(kpi.Fact{Key: "crm:deal:17:won", Metric: "revenue", Unit: "ana", Date: march, Value: decimal.RequireFromString("1300")})
	fmt.Println(errors.Is(err, kpi.ErrConflict))
	_, err = l.Ingest(kpi.Fact{Key: "crm:deal:19:won", Metric: "revenue", Unit: "bo", Date: march, Value: decimal.RequireFromString("9.999")})
	fmt.Println(err)

	q1, _ := goal.NewRange(date.New(2026, time.January, 1), date.New(2026, time.April, 1))
	for _, unit := range []string{"acme", "north", "ana", "bo"} {
		v, _ := l.Actual("revenue", unit, q1, kpi.Subtree)
		n, _ := l.Count("revenue", unit, q1, kpi.Subtree)
		fmt.Printf("%-5s %8s in %s deals\n", unit, v.StringFixed(2), n)
	}
	// Output:
	// 3 added, 1 duplicate, <nil>
	// true
	// kpi: fact "crm:deal:19:won": Value: 9.999 has more than the 2 decimal places metric "revenue" allows; round it in the host
	// acme   2200.01 in 2 deals
	// north  2200.01 in 2 deals
	// ana    1700.01 in 1.5 deals
	// bo      500.00 in 0.5 deals
}

// A goal's status as of a day: attainment, time progress, the gap between
// them (positive is good), what the plan expects by now, the run-rate needed
// on each remaining working day and where the period will end at this pace.
func ExampleLedger_Status() {
	l := exampleLedger()
	cal, _ := goal.NewCalendar(nil) // Monday to Friday
	for i, v := range []string{"40000", "25000", "38000"} {
		_, _ = l.Ingest(kpi.Fact{Key: fmt.Sprint("order-", i), Metric: "revenue", Unit: "bo",
			Date: date.New(2026, time.January, 5+7*i), Value: decimal.RequireFromString(v)})
	}
	jan, _ := cal.PeriodOf(goal.Month, date.New(2026, time.January, 1))
	g := goal.Goal{ID: goal.GoalID("revenue", "north", jan), Metric: "revenue", Unit: "north", Period: jan, Target: decimal.NewFromInt(200000)}

	s, err := l.Status(g, date.New(2026, time.January, 20), kpi.Pace{Days: goal.ByWorkingDays, Calendar: cal})
	if err != nil {
		panic(err)
	}
	fmt.Println("actual      ", s.Actual.StringFixed(2))
	fmt.Println("attainment  ", s.Attainment.Decimal.StringFixed(4))
	fmt.Println("progress    ", s.TimeProgress.StringFixed(4))
	fmt.Println("gap         ", s.GapRate.Decimal.StringFixed(4))
	fmt.Println("expected    ", s.Expected.StringFixed(2))
	fmt.Println("ahead by    ", s.AheadBy.StringFixed(2))
	fmt.Println("days left   ", s.RemainingDays)
	fmt.Println("needed/day  ", s.RequiredRunRate.Decimal.StringFixed(2))
	fmt.Println("projected   ", s.Projected.Decimal.StringFixed(2))

	zero := g
	zero.Target = decimal.Zero
	s, _ = l.Status(zero, date.New(2026, time.January, 20), kpi.Pace{})
	fmt.Println("zero target: attainment defined?", s.Attainment.Valid)
	// Output:
	// actual       103000.00
	// attainment   0.5150
	// progress     0.6364
	// gap          -0.1214
	// expected     127272.73
	// ahead by     -24272.73
	// days left    8
	// needed/day   12125.00
	// projected    161857.14
	// zero target: attainment defined? false
}

// Leaderboards share ranks on ties and list tied units by ID.
func ExampleRank() {
	board := kpi.Rank([]kpi.Score{
		{Unit: "dan", Value: decimal.NewNullDecimal(decimal.NewFromInt(5))},
		{Unit: "bea", Value: decimal.NewNullDecimal(decimal.NewFromInt(7))},
		{Unit: "cy", Value: decimal.NewNullDecimal(decimal.NewFromInt(7))},
		{Unit: "al", Value: decimal.NewNullDecimal(decimal.NewFromInt(9))},
		{Unit: "eve"}, // undefined, e.g. attainment with a zero target
	}, goal.HigherIsBetter)
	for _, r := range board {
		fmt.Println(r.Rank, r.Unit)
	}
	// Output:
	// 1 al
	// 2 bea
	// 2 cy
	// 4 dan
	// 0 eve
}
