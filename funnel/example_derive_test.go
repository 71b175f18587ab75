package funnel_test

import (
	"fmt"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A funnel that derives its facts: the deal's history is the only thing the
// host sends, and its stage entries, advances and win follow from it, each
// under a key derived from the deal and the event.
func ExampleDealFacts() {
	f := funnel.Funnel{Key: "crm", Won: "won", Lost: "lost",
		Stages: []funnel.Stage{{Key: "lead", Metric: "leads"}, {Key: "opportunity", Metric: "opportunities"}},
		Derive: &funnel.Derivation{Entries: true, Wins: true, WonValue: "revenue", Advances: "advances"}}
	d := funnel.Deal{ID: "opp-17", Funnel: "crm", Unit: "li", Value: decimal.RequireFromString("4800.00"), Currency: "CNY",
		Transitions: []funnel.Transition{
			{Stage: "lead", Date: date.MustParseISO("2026-03-02")},
			{Stage: "opportunity", Date: date.MustParseISO("2026-03-09")},
			{Stage: "won", Date: date.MustParseISO("2026-04-15")},
		}}
	facts, err := funnel.DealFacts(f, d)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, fact := range facts {
		fmt.Println(fact.Date, fact.Metric, fact.Value, fact.Key)
	}
	// Output:
	// 2026-03-02 leads 1 deal:crm:opp-17:enter:lead
	// 2026-03-09 advances 1 deal:crm:opp-17:advance:opportunity
	// 2026-03-09 opportunities 1 deal:crm:opp-17:enter:opportunity
	// 2026-04-15 crm.won 1 deal:crm:opp-17:won:count
	// 2026-04-15 revenue 4800 deal:crm:opp-17:won:value
}

// Payment (回款) targets from a revenue plan: the order-to-payment lag is
// measured from paid orders, and each month's revenue target becomes cash
// in the months its orders are paid.
func ExamplePlanPayments() {
	lag, err := funnel.MeasurePaymentLag([]funnel.OrderPayment{
		{Ordered: date.MustParseISO("2025-05-06"), Paid: date.MustParseISO("2025-05-29")},
		{Ordered: date.MustParseISO("2025-06-10"), Paid: date.MustParseISO("2025-07-08")},
		{Ordered: date.MustParseISO("2025-06-20"), Paid: date.MustParseISO("2025-07-31")},
		{Ordered: date.MustParseISO("2025-07-01"), Paid: date.MustParseISO("2025-09-12")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("paid after 0, 1, 2 months:", lag.Orders)

	revenue := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	payments := goal.Metric{Key: "payments", Kind: goal.Amount, Currency: "CNY", Places: 2}
	cal, _ := goal.NewCalendar(nil)
	month := func(label string) goal.Period { p, _ := cal.Parse(label); return p }
	plan, err := goal.NewPlan("revenue-q1", revenue, []goal.Goal{
		{ID: "q1", Metric: "revenue", Unit: "li", Period: month("2026-Q1"), Target: decimal.RequireFromString("600.01")},
		{ID: "jan", Parent: "q1", Metric: "revenue", Unit: "li", Period: month("2026-01"), Target: decimal.RequireFromString("100.00")},
		{ID: "feb", Parent: "q1", Metric: "revenue", Unit: "li", Period: month("2026-02"), Target: decimal.RequireFromString("200.00")},
		{ID: "mar", Parent: "q1", Metric: "revenue", Unit: "li", Period: month("2026-03"), Target: decimal.RequireFromString("300.01")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cash, err := funnel.PlanPayments("payments-q1", plan, payments, lag)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range cash.Plan.Goals {
		fmt.Println(g.Period, g.Target.StringFixed(2))
	}
	fmt.Println("paid after the quarter:", cash.Beyond.StringFixed(2))
	// Output:
	// paid after 0, 1, 2 months: [1 2 1]
	// 2026-Q1 325.00
	// 2026-01 25.00
	// 2026-02 100.00
	// 2026-03 200.00
	// paid after the quarter: 275.01
}
