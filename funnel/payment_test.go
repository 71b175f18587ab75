package funnel

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

var (
	revenueMetric  = goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	paymentsMetric = goal.Metric{Key: "payments", Kind: goal.Amount, Currency: "CNY", Places: 2}
)

func TestMeasurePaymentLag(t *testing.T) {
	lag, err := MeasurePaymentLag([]OrderPayment{
		{Ordered: day(t, "2025-01-10"), Paid: day(t, "2025-01-28")}, // same month
		{Ordered: day(t, "2025-01-31"), Paid: day(t, "2025-02-01")}, // next month, one day later
		{Ordered: day(t, "2025-03-15"), Paid: day(t, "2025-04-30")}, // next month
		{Ordered: day(t, "2025-11-20"), Paid: day(t, "2026-01-05")}, // two months, across a year
	})
	require.NoError(t, err)
	require.Equal(t, []int64{1, 2, 1}, lag.Orders)
	requireDec(t, "0.5", lag.Share(1))
	requireDec(t, "0", lag.Share(3))

	_, err = MeasurePaymentLag([]OrderPayment{{Ordered: day(t, "2025-02-01"), Paid: day(t, "2025-01-31")}})
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "before its order")
	_, err = MeasurePaymentLag(nil)
	require.ErrorIs(t, err, ErrInvalid)
	_, err = MeasurePaymentLag([]OrderPayment{{Ordered: day(t, "2000-01-01"), Paid: day(t, "2026-01-01")}})
	require.ErrorIs(t, err, ErrInvalid)
}

// qPlan is li's Q1 revenue: January 100.00, February 200.00, March 300.01.
func qPlan(t *testing.T) *goal.Plan {
	p, err := goal.NewPlan("rev", revenueMetric, []goal.Goal{
		{ID: "q1", Metric: "revenue", Unit: "li", Period: month(t, "2026-Q1"), Target: dec(t, "600.01")},
		{ID: "jan", Parent: "q1", Metric: "revenue", Unit: "li", Period: month(t, "2026-01"), Target: dec(t, "100.00")},
		{ID: "feb", Parent: "q1", Metric: "revenue", Unit: "li", Period: month(t, "2026-02"), Target: dec(t, "200.00")},
		{ID: "mar", Parent: "q1", Metric: "revenue", Unit: "li", Period: month(t, "2026-03"), Target: dec(t, "300.01")},
	})
	require.NoError(t, err)
	return p
}

// By hand, with a quarter paid in the order month, half the month after and
// a quarter two months after:
//
//	order month  →  Jan    Feb     Mar     Apr     May
//	Jan 100.00      25.00  50.00   25.00
//	Feb 200.00             50.00  100.00   50.00
//	Mar 300.01                     75.00  150.01   75.00  (30001 cents: 7500.25,
//	                                                       15000.5, 7500.25; the
//	                                                       cent left goes to .5)
//	cash            25.00 100.00  200.00 | 200.01  75.00  beyond the quarter: 275.01
func TestPlanPaymentsByHand(t *testing.T) {
	got, err := PlanPayments("cash", qPlan(t), paymentsMetric, PaymentLag{Orders: []int64{1, 2, 1}})
	require.NoError(t, err)
	want := map[string]string{
		"payments/li/2026-Q1": "325.00",
		"payments/li/2026-01": "25.00",
		"payments/li/2026-02": "100.00",
		"payments/li/2026-03": "200.00",
	}
	require.Len(t, got.Plan.Goals, len(want))
	for _, g := range got.Plan.Goals {
		requireDec(t, want[g.ID], g.Target, g.ID)
		require.Equal(t, "payments", g.Metric)
	}
	require.Equal(t, "payments/li/2026-Q1", got.Plan.Goals[1].Parent)
	requireDec(t, "275.01", got.Beyond)
	require.Empty(t, got.Plan.Check(), "children sum to their parents")
	requireDec(t, "600.01", got.Plan.Root().Target.Add(got.Beyond), "the revenue's cash is all placed")
}

// A team plan decomposed by rep then month: each goal gets the cash of its
// unit's part of the plan, so the team's months sum its reps' months.
func TestPlanPaymentsOverUnits(t *testing.T) {
	p, err := goal.NewPlan("rev", revenueMetric, []goal.Goal{
		{ID: "t", Metric: "revenue", Unit: "team", Period: month(t, "2026-Q1"), Target: dec(t, "0.03")},
		{ID: "a", Parent: "t", Metric: "revenue", Unit: "ann", Period: month(t, "2026-Q1"), Target: dec(t, "0.02")},
		{ID: "b", Parent: "t", Metric: "revenue", Unit: "bob", Period: month(t, "2026-Q1"), Target: dec(t, "0.01")},
		{ID: "a1", Parent: "a", Metric: "revenue", Unit: "ann", Period: month(t, "2026-01"), Target: dec(t, "0.01")},
		{ID: "a3", Parent: "a", Metric: "revenue", Unit: "ann", Period: month(t, "2026-03"), Target: dec(t, "0.01")},
		{ID: "b2", Parent: "b", Metric: "revenue", Unit: "bob", Period: month(t, "2026-02"), Target: dec(t, "0.01")},
	})
	require.NoError(t, err)
	// Half paid at once, half a month later; a single cent goes to the
	// order month (a tie goes to the lower index).
	got, err := PlanPayments("cash", p, paymentsMetric, PaymentLag{Orders: []int64{1, 1}})
	require.NoError(t, err)
	targets := map[string]string{}
	for _, g := range got.Plan.Goals {
		targets[g.ID] = g.Target.StringFixed(2)
	}
	require.Equal(t, map[string]string{
		"payments/team/2026-Q1": "0.03", "payments/ann/2026-Q1": "0.02", "payments/bob/2026-Q1": "0.01",
		"payments/ann/2026-01": "0.01", "payments/ann/2026-03": "0.01", "payments/bob/2026-02": "0.01",
	}, targets)
	require.Empty(t, got.Plan.Check())
	requireDec(t, "0", got.Beyond)
}

func TestPlanPaymentsRejects(t *testing.T) {
	lag := PaymentLag{Orders: []int64{1}}
	_, err := PlanPayments("cash", qPlan(t), goal.Metric{Key: "payments", Kind: goal.Amount, Currency: "USD", Places: 2}, lag)
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "in CNY")
	_, err = PlanPayments("cash", qPlan(t), paymentsMetric, PaymentLag{Orders: []int64{0, 0}})
	require.ErrorIs(t, err, ErrInvalid)
	_, err = PlanPayments("cash", nil, paymentsMetric, lag)
	require.ErrorIs(t, err, ErrInvalid)

	quarter, err := goal.NewPlan("rev", revenueMetric, []goal.Goal{
		{ID: "q1", Metric: "revenue", Unit: "li", Period: month(t, "2026-Q1"), Target: dec(t, "1.00")},
	})
	require.NoError(t, err)
	_, err = PlanPayments("cash", quarter, paymentsMetric, lag)
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "decompose the revenue plan to months (or days) first")
}
