package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/kpi"
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

// TestAlertResolvesWhenItsPeriodEnds: a pace alert on March resolves at the
// first evaluation after March, saying how the month closed: missed by how
// much, or met when the last days caught up — never a bare "resolved".
func TestAlertResolvesWhenItsPeriodEnds(t *testing.T) {
	for _, tc := range []struct {
		late             []kpi.Fact // calls after the alert fired
		message, summary string
	}{
		{nil, "li calls 2026-03: missed by 220, 0 of 220 (0.0%)", "li Calls 2026-03: missed by 220, 0 of 220 (0.0%)"},
		{[]kpi.Fact{call("late", "li", "2026-03-31", 230)}, "li calls 2026-03: met, 230 of 220 (104.5%)", "li Calls 2026-03: met, 230 of 220 (104.5%)"},
	} {
		recorder := &alert.Recorder{}
		f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace; c.Notifier = recorder })
		f.callsPlan(t, "march", "li", 220)
		_, err := f.engine.Evaluate(f.ctx, day("2026-03-20"))
		require.NoError(t, err)
		f.ingest(t, tc.late...)
		ev, err := f.engine.Evaluate(f.ctx, day("2026-04-02"))
		require.NoError(t, err)
		require.Len(t, ev.Notifications, 1)
		n := ev.Notifications[0]
		require.Equal(t, alert.NotifyResolved, n.Kind)
		require.Equal(t, tc.message, n.Message)
		require.Equal(t, "220", n.Threshold.String())
		_, err = f.engine.Deliver(f.ctx)
		require.NoError(t, err)
		require.Equal(t, tc.summary, recorder.Notifications()[1].Summary)
	}
}
