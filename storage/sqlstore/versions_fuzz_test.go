package sqlstore

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// FuzzDecodePlanBody feeds arbitrary stored text to the decoder of kept
// plans (plan versions and scenarios): it never panics, its errors are
// short, and what it accepts is an indexed plan that encodes to a body
// decoding to the same plan.
func FuzzDecodePlanBody(f *testing.F) {
	m := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	q1 := goal.Period{Grain: goal.Quarter, Start: date.New(2026, 1, 1), End: date.New(2026, 4, 1), Label: "2026-Q1"}
	p, err := goal.NewPlan("fy", m, []goal.Goal{
		{ID: "a", Metric: "revenue", Unit: "co", Period: q1, Target: decimal.RequireFromString("10.50"), Stretch: decimal.NewNullDecimal(decimal.RequireFromString("12.00"))},
		{ID: "b", Parent: "a", Metric: "revenue", Unit: "r", Period: q1, Target: decimal.RequireFromString("10.50"), Locked: true},
	})
	require.NoError(f, err)
	body, err := encodePlanBody(p)
	require.NoError(f, err)
	f.Add(body)
	f.Add(`{"v":2,"plan":{}}`)
	f.Add(`{"v":1,"plan":{"id":"x","metric":{"key":"m","kind":"count"},"goals":[]}} {}`)
	f.Add(`{"v":1,"plan":null,"extra":1}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := decodePlanBody(s)
		requireShortError(t, err)
		if err != nil {
			return
		}
		again, err := encodePlanBody(p)
		require.NoError(t, err)
		q, err := decodePlanBody(again)
		require.NoError(t, err)
		require.Equal(t, len(p.Goals), len(q.Goals))
		for i, g := range p.Goals {
			require.Equal(t, g.ID, q.Goals[i].ID)
			require.True(t, g.Target.Equal(q.Goals[i].Target))
		}
		if len(p.Goals) > 0 {
			_, err = q.Goal(p.Goals[0].ID)
			require.NoError(t, err, "a decoded plan is indexed")
		}
	})
}
