package goal_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/goalkit/goalkit/goal"
)

func TestMetricValidate(t *testing.T) {
	ok := []goal.Metric{
		{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2},
		{Key: "yen", Kind: goal.Amount, Currency: "JPY", Places: 0},
		{Key: "calls", Kind: goal.Count},
		{Key: "hours", Kind: goal.Quantity, Places: goal.MaxPlaces, Direction: goal.LowerIsBetter},
	}
	for _, m := range ok {
		require.NoError(t, m.Validate(), m.Key)
	}
	bad := []struct {
		name   string
		m      goal.Metric
		reason string
	}{
		{"empty key", goal.Metric{Name: "Contract amount", Kind: goal.Amount, Currency: "CNY", Places: 2}, "key is empty"},
		{"zero kind", goal.Metric{Key: "x"}, "kind 0 is unknown"},
		{"unknown kind", goal.Metric{Key: "x", Kind: 9}, "kind 9 is unknown"},
		{"negative places", goal.Metric{Key: "x", Kind: goal.Quantity, Places: -1}, "-1 decimal places"},
		{"too many places", goal.Metric{Key: "x", Kind: goal.Quantity, Places: goal.MaxPlaces + 1}, "13 decimal places"},
		{"count with places", goal.Metric{Key: "calls", Kind: goal.Count, Places: 2}, "a count has 0 decimal places"},
		{"amount without currency", goal.Metric{Key: "rev", Kind: goal.Amount, Places: 2}, "ISO 4217"},
		{"lower-case currency", goal.Metric{Key: "rev", Kind: goal.Amount, Currency: "cny", Places: 2}, "ISO 4217"},
		{"long currency", goal.Metric{Key: "rev", Kind: goal.Amount, Currency: "CNYY", Places: 2}, "ISO 4217"},
		{"count with currency", goal.Metric{Key: "calls", Kind: goal.Count, Currency: "USD"}, "only amounts carry a currency"},
		{"unknown direction", goal.Metric{Key: "calls", Kind: goal.Count, Direction: 2}, "direction 2 is unknown"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			require.ErrorIs(t, err, goal.ErrInvalid)
			var ve *goal.ValidationError
			require.True(t, errors.As(err, &ve))
			require.Equal(t, "metric", ve.Field)
			require.Contains(t, err.Error(), tc.reason)
		})
	}
}

func TestMetricCheckValue(t *testing.T) {
	cny := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	calls := goal.Metric{Key: "calls", Kind: goal.Count}
	tests := []struct {
		m    goal.Metric
		v    string
		fits bool
	}{
		{cny, "1.50", true},
		{cny, "1.500", true}, // trailing zeros are not extra precision
		{cny, "1.5000000000000000", true},
		{cny, "1", true},
		{cny, "-12345678901234567890.99", true},
		{cny, "0", true},
		{cny, "1.005", false},
		{cny, "-0.001", false},
		{cny, "0.0000000001", false},
		{calls, "12", true},
		{calls, "12.0", true},
		{calls, "1E+3", true},
		{calls, "12.5", false},
		{calls, "0.1", false},
	}
	for _, tc := range tests {
		v := decimal.RequireFromString(tc.v)
		err := tc.m.CheckValue(v)
		if tc.fits {
			require.NoError(t, err, "%s in %s", tc.v, tc.m.Key)
			require.True(t, goal.FitsPlaces(v, tc.m.Places))
			continue
		}
		require.ErrorIs(t, err, goal.ErrInvalid, "%s in %s", tc.v, tc.m.Key)
		require.Contains(t, err.Error(), tc.v)
		require.Contains(t, err.Error(), tc.m.Key)
		require.False(t, goal.FitsPlaces(v, tc.m.Places))
	}
}

func TestKindAndDirectionStrings(t *testing.T) {
	require.Equal(t, "amount", goal.Amount.String())
	require.Equal(t, "count", goal.Count.String())
	require.Equal(t, "quantity", goal.Quantity.String())
	require.Equal(t, "Kind(7)", goal.Kind(7).String())
	require.Equal(t, "higher is better", goal.HigherIsBetter.String())
	require.Equal(t, "lower is better", goal.LowerIsBetter.String())
}
