package goalkit_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// The pace parameters of the quickstart: revenue arrives in deals of about
// ¥20,000, visits are counts.
var (
	scenarioRevenuePace = alert.PaceRule{Dispersion: 20_000, MinExpected: decimal.NewFromInt(50_000)}
	scenarioVisitsPace  = alert.PaceRule{Dispersion: 1, MinExpected: decimal.NewFromInt(5)}
)

// naiveRules are the rules as a new user first writes them: pace on both
// metrics and a projected miss on every goal, weeks included.
func naiveRules() goalkit.Rules {
	return goalkit.Rules{
		Pace:          map[string]alert.PaceRule{"revenue": scenarioRevenuePace, "visits": scenarioVisitsPace},
		ProjectedMiss: &alert.ProjectedMissRule{},
	}
}

// selectedRules are the same rules, each on the goals it fits: pace on
// revenue's months, quarters and half, pace on weekly and monthly visits,
// a projected miss only on quarters, all with the same parameters.
func selectedRules() goalkit.Rules {
	return goalkit.Rules{Goals: []goalkit.GoalRule{
		{Select: alert.Selection{Metrics: []string{"revenue"}, Grains: []goal.Grain{goal.Month, goal.Quarter, goal.Half}}, Pace: &scenarioRevenuePace},
		{Select: alert.Selection{Metrics: []string{"visits"}, Grains: []goal.Grain{goal.Week, goal.Month}}, Pace: &scenarioVisitsPace},
		{Select: alert.Selection{Grains: []goal.Grain{goal.Quarter}}, ProjectedMiss: &alert.ProjectedMissRule{}},
	}}
}

// scenarioRun is what a host's Notifier received over the scenario.
type scenarioRun struct {
	sent int // Notify calls, or NotifyDigest calls with digests
	rep  int // those to the rep who falls behind
	told int // the first week (0-based) the behind rep heard of his own alert once behind, -1 for never
}

// runScenario plays goalkittest.QuickstartScenario week by week on a
// memory store: ingest, Evaluate on the Friday, Deliver.
func runScenario(t *testing.T, rules goalkit.Rules, grouping *alert.Grouping) scenarioRun {
	t.Helper()
	ctx := context.Background()
	s, err := goalkittest.QuickstartScenario(nil)
	require.NoError(t, err)
	store, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	rec := &alert.DigestRecorder{}
	clock := &testClock{day: s.Weeks[0].AsOf}
	e, err := goalkit.New(ctx, store, &goalkit.Config{Metrics: s.Metrics, Now: clock.Now, Notifier: rec, Rules: rules, Grouping: grouping})
	require.NoError(t, err)
	require.NoError(t, e.SetOrg(ctx, s.Org))
	for _, spec := range s.Specs {
		_, err := e.Decompose(ctx, spec, who)
		require.NoError(t, err)
	}
	week := map[date.Date]int{}
	for i, w := range s.Weeks {
		week[w.AsOf] = i
		clock.Set(w.AsOf)
		_, err := e.Ingest(ctx, w.Facts, kpi.AllOrNothing)
		require.NoError(t, err)
		_, err = e.Evaluate(ctx, w.AsOf)
		require.NoError(t, err)
		_, err = e.Deliver(ctx)
		require.NoError(t, err)
	}
	require.Zero(t, rec.Duplicates()+rec.DigestDuplicates())
	run := scenarioRun{told: -1}
	tell := func(n alert.Notification) {
		w := week[date.NewAt(n.At)]
		if n.Unit == s.Behind && w >= s.BehindFrom && (run.told < 0 || w < run.told) {
			run.told = w
		}
	}
	for _, n := range rec.Notifications() {
		run.sent++
		if n.Recipient == s.Behind {
			run.rep++
			if n.Kind != alert.NotifyResolved {
				tell(n)
			}
		}
	}
	for _, d := range rec.Digests() {
		run.sent++
		if d.Recipient != s.Behind {
			continue
		}
		run.rep++
		for _, n := range append(d.Fired, d.Firing...) {
			tell(n)
		}
		for _, c := range d.Covered {
			tell(c.Notification)
		}
	}
	return run
}

// behindFrom is the week (0-based) the scenario's rep falls behind.
func behindFrom(t *testing.T) int {
	s, err := goalkittest.QuickstartScenario(nil)
	require.NoError(t, err)
	return s.BehindFrom
}

// TestDigestFigure is the notification-count figure of the quickstart-sized
// scenario: per-alert notifications under the rules a new user writes
// first, against digests under rules selected per metric and grain. The
// digests must be at least 3× fewer, and the rep who falls behind told no
// later than before.
func TestDigestFigure(t *testing.T) {
	before := runScenario(t, naiveRules(), nil)
	after := runScenario(t, selectedRules(), &alert.Grouping{})
	t.Logf("notifications over 19 weeks: before %d (per alert, every rule on every goal), after %d (digests, rules by selection): %.1f× fewer",
		before.sent, after.sent, float64(before.sent)/float64(after.sent))
	t.Logf("the rep behind: %d notifications before, %d after; first told in week %d before, %d after (he falls behind in week %d)",
		before.rep, after.rep, before.told+1, after.told+1, behindFrom(t)+1)
	t.Logf("each alone: rules by selection, per alert %d; every rule on every goal, digests %d",
		runScenario(t, selectedRules(), nil).sent, runScenario(t, naiveRules(), &alert.Grouping{}).sent)
	require.GreaterOrEqual(t, before.sent, 3*after.sent, "digests and selected rules cut notifications by at least 3×")
	require.GreaterOrEqual(t, after.told, 0, "the rep behind is told")
	if before.told >= 0 {
		require.LessOrEqual(t, after.told, before.told, "the rep behind is told within the same week as before, or earlier")
	}
}
