package goal_test

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestTextProblem(t *testing.T) {
	for s, bad := range map[string]bool{
		"":                                   false,
		"华东 – région":                        false,
		strings.Repeat("x", goal.MaxIDLen):   false,
		strings.Repeat("x", goal.MaxIDLen+1): true,
		"a\x00b":                             true,
		"a\xffb":                             true,
		"\xe5\x8d":                           true, // a character cut short
	} {
		require.Equal(t, bad, goal.TextProblem(s, goal.MaxIDLen) != "", "%q", goal.Excerpt(s))
	}
}

func TestExcerptIsShortAndWhole(t *testing.T) {
	require.Equal(t, "short", goal.Excerpt("short"))
	long := strings.Repeat("键", 1000)
	e := goal.Excerpt(long)
	require.Less(t, len(e), 100)
	require.True(t, strings.HasPrefix(e, strings.Repeat("键", 21)), e)
	require.Contains(t, e, "(3000 bytes)")
}

// extremes would take gigabytes to write out; every conversion of package
// goal must refuse them at once.
var extremes = []decimal.Decimal{
	decimal.New(1, math.MinInt32), decimal.New(1, math.MaxInt32), decimal.New(0, math.MinInt32),
	decimal.New(-9, math.MaxInt32), decimal.New(5, math.MinInt32+1),
}

func TestExtremeExponents(t *testing.T) {
	m := goal.Metric{Key: "revenue", Kind: goal.Amount, Currency: "CNY", Places: 2}
	for _, v := range extremes {
		name := goal.ShowDecimal(v)
		require.Less(t, len(name), 40, name)
		err := goal.CheckDecimal("value", v)
		require.ErrorIs(t, err, goal.ErrInvalid, name)
		require.ErrorIs(t, m.CheckValue(v), goal.ErrInvalid, name)
		require.Less(t, len(m.CheckValue(v).Error()), 1000, name)
		_, err = goal.Allocate(goal.Allocation{Total: v, Places: 2, Shares: []goal.Share{{Weight: decimal.NewFromInt(1)}}})
		require.ErrorIs(t, err, goal.ErrInvalid, name)
		_, err = goal.Allocate(goal.Allocation{Total: decimal.NewFromInt(10), Places: 2, Shares: []goal.Share{{Weight: v}, {Weight: decimal.NewFromInt(1)}}})
		require.ErrorIs(t, err, goal.ErrInvalid, name)
		_, err = goal.NewPlan("p", m, []goal.Goal{{ID: "g", Metric: "revenue", Unit: "a", Target: v}})
		require.ErrorIs(t, err, goal.ErrInvalid, name)
	}
	require.NoError(t, goal.CheckDecimal("value", decimal.New(123, -goal.MaxExponent)))
	require.NoError(t, goal.CheckDecimal("value", decimal.New(123, goal.MaxExponent)))
}

func TestFitsPlacesAnyExponent(t *testing.T) {
	for _, c := range []struct {
		v      decimal.Decimal
		places int32
		fits   bool
	}{
		{decimal.New(1, math.MinInt32), 12, false},
		{decimal.New(0, math.MinInt32), 0, true},
		{decimal.New(1, math.MaxInt32), 0, true},
		{decimal.New(1, math.MinInt32), math.MaxInt32, false},
		{decimal.New(1000, -5), 2, true},
		{decimal.New(1001, -5), 2, false},
		{decimal.RequireFromString("10.000000000000000000000"), 2, true},
	} {
		require.Equal(t, c.fits, goal.FitsPlaces(c.v, c.places), "%s places %d", goal.ShowDecimal(c.v), c.places)
	}
}

func TestMetricTextLimits(t *testing.T) {
	for _, m := range []goal.Metric{
		{Key: "rev\x00", Kind: goal.Count},
		{Key: strings.Repeat("k", goal.MaxIDLen+1), Kind: goal.Count},
		{Key: "calls", Name: "\xff", Kind: goal.Count},
	} {
		require.ErrorIs(t, m.Validate(), goal.ErrInvalid, "%q", goal.Excerpt(m.Key))
	}
	require.NoError(t, goal.Metric{Key: "calls", Name: "拜访", Kind: goal.Count}.Validate())
}
