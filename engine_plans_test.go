package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/stretchr/testify/require"
)

// TestTwoPlansSameGoal: two plans holding a goal for the same unit, metric
// and period (say, the approved plan and a stretch copy) are evaluated side
// by side; their alerts are told apart by the plan label.
func TestTwoPlansSameGoal(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "approved", "li", 220)
	f.callsPlan(t, "stretch", "li", 330)
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
	require.NoError(t, err, "no calls at all: both plans' goals are behind pace")
	plans := map[string]bool{}
	for _, in := range ev.States {
		plans[in.Labels[goalkit.LabelPlan]] = true
		require.Equal(t, alert.StateFiring, in.State)
	}
	require.Equal(t, map[string]bool{"approved": true, "stretch": true}, plans)
}
