package goal_test

import (
	"encoding/json"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestEnumsTravelAsWords(t *testing.T) {
	b, err := json.Marshal(goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2, Direction: goal.LowerIsBetter})
	require.NoError(t, err)
	require.JSONEq(t, `{"key":"revenue","kind":"amount","currency":"CNY","places":2,"direction":"lower"}`, string(b))
	b, err = json.Marshal(goal.Unit{ID: "li", Parent: "north"})
	require.NoError(t, err)
	require.JSONEq(t, `{"id":"li","parent":"north"}`, string(b), "dates not set are left out")
	for _, g := range []goal.Grain{goal.Range, goal.Day, goal.Week, goal.Month, goal.Quarter, goal.Half, goal.Year} {
		text, err := g.MarshalText()
		require.NoError(t, err)
		require.Equal(t, g.String(), string(text))
		var back goal.Grain
		require.NoError(t, back.UnmarshalText(text))
		require.Equal(t, g, back)
	}
	for _, k := range []goal.Kind{goal.Amount, goal.Count, goal.Quantity} {
		text, err := k.MarshalText()
		require.NoError(t, err)
		var back goal.Kind
		require.NoError(t, back.UnmarshalText(text))
		require.Equal(t, k, back)
	}
	_, err = goal.Kind(9).MarshalText()
	require.ErrorIs(t, err, goal.ErrInvalid)
	_, err = goal.Grain(9).MarshalText()
	require.ErrorIs(t, err, goal.ErrInvalid)
	_, err = goal.Direction(9).MarshalText()
	require.ErrorIs(t, err, goal.ErrInvalid)
	var k goal.Kind
	require.Error(t, json.Unmarshal([]byte(`1`), &k), "numbers are not kinds")
	require.ErrorIs(t, k.UnmarshalText([]byte("Amount")), goal.ErrInvalid)
	var d goal.Direction
	require.ErrorIs(t, d.UnmarshalText([]byte("up")), goal.ErrInvalid)
}

func TestPlanJSONKeepsPlacesAndRoundTrips(t *testing.T) {
	year := goal.Period{Grain: goal.Year, Start: date.New(2026, 1, 1), End: date.New(2027, 1, 1), Label: "2026"}
	m := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	p, err := goal.NewPlan("p", m, []goal.Goal{
		{ID: "co", Metric: "revenue", Unit: "co", Period: year, Target: amount("60000000"), Stretch: decimal.NewNullDecimal(amount("70000000"))},
		{ID: "east", Parent: "co", Metric: "revenue", Unit: "east", Period: year, Target: amount("60000000.0"), Locked: true},
	})
	require.NoError(t, err)
	p.Version = 3
	b, err := json.Marshal(p)
	require.NoError(t, err)
	require.Contains(t, string(b), `"target":"60000000.00"`)
	require.Contains(t, string(b), `"period":{"grain":"year","start":"2026-01-01","end":"2027-01-01","label":"2026"}`)
	var back goal.Plan
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, int64(3), back.Version)
	require.Len(t, back.Goals, 2)
	for i, g := range back.Goals {
		require.True(t, g.Target.Equal(p.Goals[i].Target))
		require.Equal(t, p.Goals[i].Stretch.Valid, g.Stretch.Valid)
	}
	got, err := back.Goal("east") // indexed like a plan from NewPlan
	require.NoError(t, err)
	require.True(t, got.Locked)

	require.ErrorIs(t, json.Unmarshal([]byte(`{"id":"p","metric":{"key":"revenue","kind":"amount","currency":"CNY","places":2},"goals":[{"id":"co","metric":"revenue","unit":"co","target":"x"}]}`), &back), goal.ErrInvalid)
}
