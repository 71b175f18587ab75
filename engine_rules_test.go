package goalkit_test

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/memory"
	"github.com/stretchr/testify/require"
)

// ruleAlerts lists the alerts of an evaluation as "rule period".
func ruleAlerts(ev goalkit.Evaluation) []string {
	var out []string
	for _, in := range ev.States {
		out = append(out, in.Rule+" "+in.Labels[alert.LabelPeriod])
	}
	slices.Sort(out)
	return out
}

// TestGoalRulesBySelection: each goal gets the rule of the most specific
// selection that matches it. li has sold nothing by 16 February: the
// quarter is paced by the shorthand (Pace by metric) and checked for a
// projected miss (a selection of quarters only); February is paced by the
// selection of li's months, more specific than the metric's, and gets no
// projected-miss check.
func TestGoalRulesBySelection(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules = goalkit.Rules{
			Pace: map[string]alert.PaceRule{"revenue": {Dispersion: 1}},
			Goals: []goalkit.GoalRule{
				{Select: alert.Selection{Grains: []goal.Grain{goal.Quarter}}, ProjectedMiss: &alert.ProjectedMissRule{}},
				{Select: alert.Selection{Units: []string{"li"}, Grains: []goal.Grain{goal.Month}},
					Pace: &alert.PaceRule{Name: "pace-of-li-months", Dispersion: 1}},
				{Select: alert.Selection{Levels: []string{"team"}}, Pace: &alert.PaceRule{Name: "pace-of-teams", Dispersion: 1}},
			},
		}
	})
	_, err := f.engine.SavePlan(f.ctx, f.seasonalPlan(t, "li-q1"), who)
	require.NoError(t, err)
	ev, err := f.engine.Evaluate(f.ctx, day("2026-02-16"))
	require.NoError(t, err)
	require.Equal(t, []string{
		"pace [2026-01-01,2026-04-01)",
		"pace-of-li-months [2026-02-01,2026-03-01)",
		"projected_miss [2026-01-01,2026-04-01)",
	}, ruleAlerts(ev))
}

// TestGoalRulesByLevel: a selection by level applies to the units of that
// Kind in the org, here the team and not its reps.
func TestGoalRulesByLevel(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Rules.Goals = []goalkit.GoalRule{{Select: alert.Selection{Levels: []string{"team"}}, Pace: &alert.PaceRule{Dispersion: 1}}}
	})
	f.callsPlan(t, "north-calls", "north", 440) // north and its two reps
	f.ingest(t, call("li-0302", "li", "2026-03-02", 1))
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-16"))
	require.NoError(t, err)
	require.Len(t, ev.States, 1)
	require.Equal(t, "north", ev.States[0].Unit)
}

func TestGoalRulesRejected(t *testing.T) {
	pace := &alert.PaceRule{Dispersion: 1}
	for name, tc := range map[string]struct {
		rules goalkit.Rules
		says  string
	}{
		"unknown grain": {goalkit.Rules{Goals: []goalkit.GoalRule{{Select: alert.Selection{Grains: []goal.Grain{goal.Range}}, Pace: pace}}},
			"goal rule 0: alert: invalid Selection.Grains: unknown grain range"},
		"no rule": {goalkit.Rules{Goals: []goalkit.GoalRule{{Select: alert.Selection{Metrics: []string{"revenue"}}}}},
			"sets no rule"},
		"bad parameters": {goalkit.Rules{Goals: []goalkit.GoalRule{{Pace: &alert.PaceRule{}}}},
			"goal rule 0: pace: alert: invalid PaceRule.Dispersion"},
		"overlapping selections": {goalkit.Rules{Goals: []goalkit.GoalRule{
			{Select: alert.Selection{Grains: []goal.Grain{goal.Month, goal.Week}}, Pace: pace},
			{Select: alert.Selection{Grains: []goal.Grain{goal.Week}}, Pace: pace},
		}}, "pace selections 0 and 1: both can select the same goal"},
		"overlapping the shorthand": {goalkit.Rules{
			Pace:  map[string]alert.PaceRule{"calls": *pace},
			Goals: []goalkit.GoalRule{{Select: alert.Selection{Metrics: []string{"calls"}}, Pace: pace}},
		}, "pace selections 0 and 1"},
	} {
		_, err := goalkit.New(t.Context(), mustMemory(t), &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Rules: tc.rules})
		require.ErrorIs(t, err, goalkit.ErrInvalid, name)
		require.ErrorIs(t, err, alert.ErrInvalid, name)
		require.ErrorContains(t, err, tc.says, name)
	}
}

func mustMemory(t testing.TB) *memory.Store {
	t.Helper()
	s, err := memory.New(memory.Config{Tenant: "acme"})
	require.NoError(t, err)
	return s
}
