package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/stretchr/testify/require"
)

var payments = goal.Metric{Key: "payments", Name: "回款金额", Kind: goal.Amount, Currency: "CNY", Places: 2}

// A payment plan derived from the revenue plan is an ordinary plan: saved,
// tracked against payment facts and paced.
func TestPaymentPlanIsTrackedLikeAnyGoal(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Metrics = append(c.Metrics, payments) })
	// li's Q1 revenue 100/200/300, half paid in the order month, half the
	// month after: cash 50, 150, 250 in the quarter and 150 in April.
	cash, err := funnel.PlanPayments("li-cash", f.seasonalPlan(t, "li-q1"), payments, funnel.PaymentLag{Orders: []int64{1, 1}})
	require.NoError(t, err)
	requireDec(t, "150", cash.Beyond)
	_, err = f.engine.SavePlan(f.ctx, cash.Plan, who)
	require.NoError(t, err)

	f.ingest(t, kpi.Fact{Key: "pay-1", Metric: "payments", Unit: "li", Date: day("2026-01-20"), Value: dec("40.00")},
		kpi.Fact{Key: "pay-2", Metric: "payments", Unit: "li", Date: day("2026-02-03"), Value: dec("30.00")})
	s, err := f.engine.Status(f.ctx, "li-cash", "payments/li/2026-Q1", day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "450", s.Target)
	requireDec(t, "70", s.Actual)
	require.True(t, s.Expected.GreaterThan(dec("50")) && s.Expected.LessThan(dec("200")), "paced along the plan's months (January's 50, part of February's 150): %s", s.Expected)
	jan, err := f.engine.Status(f.ctx, "li-cash", "payments/li/2026-01", day("2026-02-13"))
	require.NoError(t, err)
	requireDec(t, "50", jan.Target)
	requireDec(t, "40", jan.Actual)
}
