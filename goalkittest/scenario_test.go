package goalkittest_test

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestQuickstartScenario: 19 Fridays, the same facts every call, plans that
// decompose exactly on the org, and the rep behind making fewer visits
// than the others once behind.
func TestQuickstartScenario(t *testing.T) {
	s, err := goalkittest.QuickstartScenario(nil)
	require.NoError(t, err)
	again, err := goalkittest.QuickstartScenario(nil)
	require.NoError(t, err)
	require.Equal(t, s, again)
	require.Len(t, s.Weeks, 19)

	org, err := goal.NewOrg(s.Org)
	require.NoError(t, err)
	for _, spec := range s.Specs {
		p, err := goal.Decompose(org, nil, spec)
		require.NoError(t, err)
		require.Empty(t, p.Check())
	}
	visits := map[string]decimal.Decimal{}
	keys := map[string]bool{}
	for i, w := range s.Weeks {
		require.Equal(t, "Friday", w.AsOf.Weekday().String())
		for _, f := range w.Facts {
			require.False(t, keys[f.Key], "fact keys are unique")
			keys[f.Key] = true
			require.LessOrEqual(t, f.Date, w.AsOf)
			if f.Metric == "visits" && i >= s.BehindFrom {
				visits[f.Unit] = visits[f.Unit].Add(f.Value)
			}
		}
	}
	for _, rep := range []string{"li", "liu", "zhao", "chen", "sun"} {
		require.True(t, visits[s.Behind].Mul(decimal.NewFromInt(2)).LessThan(visits[rep]), "%s: %s against %s", rep, visits[rep], visits[s.Behind])
	}
}
