package kpi_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A plan sets its own pace: north's quarter is split over its reps, and
// ana's over months that back-load the quarter, so north is paced along
// ana's months, and bo (a leaf) by working days. These are the paces the
// goalkit Engine uses for the same plan.
func ExamplePlanPace() {
	l := exampleLedger()
	cal, _ := goal.NewCalendar(nil)
	period := func(label string) goal.Period { p, _ := cal.Parse(label); return p }
	g := func(id, parent, unit, label, target string) goal.Goal {
		return goal.Goal{ID: id, Parent: parent, Metric: "revenue", Unit: unit, Period: period(label), Target: decimal.RequireFromString(target)}
	}
	plan, err := goal.NewPlan("q1", goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}, []goal.Goal{
		g("north", "", "north", "2026-Q1", "90000"),
		g("ana", "north", "ana", "2026-Q1", "60000"),
		g("bo", "north", "bo", "2026-Q1", "30000"),
		g("ana jan", "ana", "ana", "2026-01", "10000"),
		g("ana feb", "ana", "ana", "2026-02", "20000"),
		g("ana mar", "ana", "ana", "2026-03", "30000"),
	})
	if err != nil {
		panic(err)
	}
	_, _ = l.Ingest(kpi.Fact{Key: "order-1", Metric: "revenue", Unit: "bo", Date: date.New(2026, time.January, 9), Value: decimal.NewFromInt(12000)})

	pp := kpi.NewPlanPace(plan, cal)
	for _, id := range []string{"north", "ana", "bo"} {
		gl, _ := plan.Goal(id)
		pace := pp.Of(gl)
		s, err := l.Status(gl, date.New(2026, time.January, 31), pace)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-5s %-12s progress %s expected %9s\n", id, pace, s.TimeProgress.StringFixed(4), s.Expected.StringFixed(2))
	}
	// Output:
	// north seasonal     progress 0.1667 expected  15000.00
	// ana   seasonal     progress 0.1667 expected  10000.00
	// bo    working days progress 0.3438 expected  10312.50
}
