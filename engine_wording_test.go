package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/stretchr/testify/require"
)

// Evaluate words only the samples the lifecycle reads, and those with the
// rule's own message: a firing alert (active sample) and, once li has caught
// up, the still-firing alert whose sample is no longer active (kept by
// KeepFiringForPeriods) both carry exactly what PaceRule.Check writes for
// the goal's status that day.
func TestEvaluateWordsLiveAlerts(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules.Pace = callsPace
		c.Lifecycle = &alert.LifecycleConfig{Policies: map[string]alert.Policy{alert.RulePace: {KeepFiringForPeriods: 2}}}
	})
	p := f.callsPlan(t, "li-calls", "li", 220)
	require.Len(t, p.Goals, 1)
	f.ingest(t, call("li-0302", "li", "2026-03-02", 10))
	for _, s := range []struct {
		asOf    string
		facts   int64
		active  bool
		verdict string
	}{
		{"2026-03-05", 0, true, "behind pace"},
		{"2026-03-09", 50, false, "on pace"},
	} {
		if s.facts > 0 {
			f.ingest(t, call("li-"+s.asOf, "li", s.asOf, s.facts))
		}
		ev, err := f.engine.Evaluate(f.ctx, day(s.asOf))
		require.NoError(t, err)
		require.Len(t, ev.States, 1, s.asOf)
		require.Equal(t, alert.StateFiring, ev.States[0].State, s.asOf)

		st, err := f.engine.Status(f.ctx, p.ID, p.Goals[0].ID, day(s.asOf))
		require.NoError(t, err)
		want, err := callsPace["calls"].Check(st)
		require.NoError(t, err)
		require.Equal(t, s.active, want.Active, s.asOf)
		require.Contains(t, want.Message, s.verdict, s.asOf)
		require.Equal(t, want.Message, ev.States[0].Message, s.asOf)
	}
}
