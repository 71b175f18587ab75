package alert

import (
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// lcT0 is the time of the first evaluation in these tests; tests step time from it explicitly.
var lcT0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// lcQ1 is the period the test alerts are about.
var lcQ1 = goal.Period{Grain: goal.Quarter, Start: date.New(2026, 1, 1), End: date.New(2026, 4, 1), Label: "2026-Q1"}

// lcPace returns the pace rule's sample for unit.
func lcPace(unit string, active bool) Sample {
	return Sample{
		Rule: "pace", Unit: unit, Metric: "revenue", Period: lcQ1, Active: active,
		Value: decimal.RequireFromString("0.62"), Threshold: decimal.RequireFromString("0.80"),
		Message: unit + " is behind pace",
	}
}

// lcRun evaluates one lifecycle step by step, carrying the states from one step to the next.
type lcRun struct {
	t        *testing.T
	lc       *Lifecycle
	states   []Instance
	silences []Silence
	all      []Notification // every notification emitted so far
}

func lcNewRun(t *testing.T, cfg *LifecycleConfig) *lcRun {
	t.Helper()
	lc, err := NewLifecycle(cfg)
	require.NoError(t, err)
	return &lcRun{t: t, lc: lc}
}

// at evaluates at lcT0+d.
func (r *lcRun) at(d time.Duration, samples ...Sample) Result {
	r.t.Helper()
	res, err := r.lc.Evaluate(lcT0.Add(d), r.states, samples, r.silences)
	require.NoError(r.t, err)
	for _, s := range res.States {
		require.NotEqual(r.t, StateInactive, s.State, "a Result never holds inactive instances")
	}
	r.states = res.States
	r.all = append(r.all, res.Notifications...)
	return res
}

// state returns the state of the instance with the sample's labels (StateInactive if absent).
func (r *lcRun) state(s Sample) State {
	return lcFind(r.states, s.Fingerprint()).State
}

func lcFind(states []Instance, fp string) Instance {
	for _, in := range states {
		if in.Fingerprint == fp {
			return in
		}
	}
	return Instance{State: StateInactive}
}

func lcKinds(ns []Notification) []NotificationKind {
	var out []NotificationKind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

func lcKeys(ns []Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Key)
	}
	return out
}

func TestLifecycleStateMachine(t *testing.T) {
	const (
		on     = "on"
		off    = "off"
		absent = "absent"
	)
	type tick struct {
		at    time.Duration // since lcT0
		cond  string
		state State              // after the evaluation; StateInactive: not in the states
		kinds []NotificationKind // emitted by the evaluation
	}
	F, R := NotifyFiring, NotifyResolved
	h := time.Hour
	cases := []struct {
		name  string
		pol   Policy
		ticks []tick
	}{
		{"no hold: fires at once and resolves at the first clear evaluation", Policy{}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, on, StateFiring, nil},
			{2 * h, off, StateResolved, []NotificationKind{R}},
			{3 * h, off, StateInactive, nil},
		}},
		{"pending for less than For stays pending", Policy{For: 2 * h}, []tick{
			{0, on, StatePending, nil},
			{1 * h, on, StatePending, nil},
			{119 * time.Minute, on, StatePending, nil},
			{2 * h, on, StateFiring, []NotificationKind{F}},
		}},
		{"ForPeriods counts consecutive evaluations, the first included", Policy{ForPeriods: 3}, []tick{
			{0, on, StatePending, nil},
			{1 * time.Minute, on, StatePending, nil},
			{2 * time.Minute, on, StateFiring, []NotificationKind{F}},
		}},
		{"For and ForPeriods: evaluations alone are not enough", Policy{For: h, ForPeriods: 3}, []tick{
			{0, on, StatePending, nil},
			{10 * time.Minute, on, StatePending, nil},
			{20 * time.Minute, on, StatePending, nil},
			{h, on, StateFiring, []NotificationKind{F}},
		}},
		{"For and ForPeriods: time alone is not enough", Policy{For: h, ForPeriods: 3}, []tick{
			{0, on, StatePending, nil},
			{2 * h, on, StatePending, nil},
			{4 * h, on, StateFiring, []NotificationKind{F}},
		}},
		{"clears while pending: inactive without notification, and the hold restarts", Policy{For: 2 * h}, []tick{
			{0, on, StatePending, nil},
			{1 * h, off, StateInactive, nil},
			{2 * h, on, StatePending, nil},
			{3 * h, on, StatePending, nil},
			{4 * h, on, StateFiring, []NotificationKind{F}},
		}},
		{"an absent sample reads as a clear condition", Policy{}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, absent, StateResolved, []NotificationKind{R}},
			{2 * h, absent, StateInactive, nil},
		}},
		{"an absent sample clears a pending alert", Policy{ForPeriods: 2}, []tick{
			{0, on, StatePending, nil},
			{1 * h, absent, StateInactive, nil},
		}},
		{"keeps firing for KeepFiringFor after the condition clears", Policy{KeepFiringFor: 2 * h}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, off, StateFiring, nil},
			{2 * h, off, StateFiring, nil},
			{3 * h, off, StateResolved, []NotificationKind{R}},
		}},
		{"the condition returning during keep-firing continues the episode", Policy{KeepFiringFor: 2 * h}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, off, StateFiring, nil},
			{2 * h, on, StateFiring, nil},
			{3 * h, off, StateFiring, nil},
			{4 * h, off, StateFiring, nil},
			{5 * h, off, StateResolved, []NotificationKind{R}},
		}},
		{"KeepFiringForPeriods keeps firing through that many clear evaluations", Policy{KeepFiringForPeriods: 2}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * time.Minute, off, StateFiring, nil},
			{2 * time.Minute, absent, StateFiring, nil},
			{3 * time.Minute, off, StateResolved, []NotificationKind{R}},
		}},
		{"a flapping condition under a hold never fires", Policy{For: 2 * h}, []tick{
			{0, on, StatePending, nil},
			{1 * h, off, StateInactive, nil},
			{2 * h, on, StatePending, nil},
			{3 * h, off, StateInactive, nil},
			{4 * h, on, StatePending, nil},
			{5 * h, off, StateInactive, nil},
		}},
		{"a flapping condition under keep-firing is one episode", Policy{KeepFiringFor: 90 * time.Minute}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, off, StateFiring, nil},
			{2 * h, on, StateFiring, nil},
			{3 * h, off, StateFiring, nil},
			{4 * h, on, StateFiring, nil},
			{5 * h, off, StateFiring, nil},
			{6 * h, off, StateFiring, nil},
			{7 * h, off, StateResolved, []NotificationKind{R}},
		}},
		{"a flapping condition without keep-firing notifies every episode", Policy{}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, off, StateResolved, []NotificationKind{R}},
			{2 * h, on, StateFiring, []NotificationKind{F}},
			{3 * h, off, StateResolved, []NotificationKind{R}},
		}},
		{"resolved alerts are kept for ResolvedRetention", Policy{ResolvedRetention: 2 * h}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{1 * h, off, StateResolved, []NotificationKind{R}},
			{2 * h, off, StateResolved, nil},
			{3 * h, absent, StateInactive, nil},
		}},
		{"a resolved alert that occurs again starts over in pending", Policy{ForPeriods: 2, ResolvedRetention: 24 * h}, []tick{
			{0, on, StatePending, nil},
			{1 * h, on, StateFiring, []NotificationKind{F}},
			{2 * h, off, StateResolved, []NotificationKind{R}},
			{3 * h, on, StatePending, nil},
			{4 * h, on, StateFiring, []NotificationKind{F}},
		}},
		{"reminders every RepeatInterval, only the latest when evaluations are sparse", Policy{RepeatInterval: h}, []tick{
			{0, on, StateFiring, []NotificationKind{F}},
			{30 * time.Minute, on, StateFiring, nil},
			{1 * h, on, StateFiring, []NotificationKind{NotifyReminder}},
			{90 * time.Minute, on, StateFiring, nil},
			{2 * h, off, StateResolved, []NotificationKind{R}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := lcNewRun(t, &LifecycleConfig{Policies: map[string]Policy{"pace": tc.pol}})
			s := lcPace("rep-1", false)
			for i, tk := range tc.ticks {
				var samples []Sample
				if tk.cond != absent {
					s.Active = tk.cond == on
					samples = []Sample{s}
				}
				res := r.at(tk.at, samples...)
				require.Equal(t, tk.state, r.state(s), "tick %d at +%s", i, tk.at)
				require.Equal(t, tk.kinds, lcKinds(res.Notifications), "tick %d at +%s", i, tk.at)
			}
		})
	}
}

func TestLifecycleTransitions(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{For: time.Hour}})
	s := lcPace("rep-1", true)
	fp := s.Fingerprint()
	tr := func(from, to State, at time.Duration) []StateChange {
		return []StateChange{{Fingerprint: fp, Rule: "pace", Unit: "rep-1", From: from, To: to, At: lcT0.Add(at)}}
	}
	require.Equal(t, tr(StateInactive, StatePending, 0), r.at(0, s).StateChanges)
	require.Empty(t, r.at(30*time.Minute, s).StateChanges)
	require.Equal(t, tr(StatePending, StateFiring, time.Hour), r.at(time.Hour, s).StateChanges)
	require.Equal(t, tr(StateFiring, StateResolved, 2*time.Hour), r.at(2*time.Hour).StateChanges)
	require.Equal(t, tr(StateResolved, StateInactive, 3*time.Hour), r.at(3*time.Hour).StateChanges)
	require.Empty(t, r.states)

	// Pending to inactive is a transition too, though the instance leaves the states.
	r.at(4*time.Hour, s)
	res := r.at(5 * time.Hour)
	require.Equal(t, tr(StatePending, StateInactive, 5*time.Hour), res.StateChanges)
	require.Empty(t, res.States)
	require.Empty(t, res.Notifications)
}

func TestLifecycleInstanceFields(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{ForPeriods: 2, KeepFiringForPeriods: 1, Severity: SeverityCritical}})
	s := lcPace("rep-1", true)
	r.at(0, s)
	r.at(time.Hour, s)
	in := lcFind(r.states, s.Fingerprint())
	require.Equal(t, Instance{
		Fingerprint: s.Fingerprint(), Rule: "pace", Unit: "rep-1",
		Labels: Labels{"rule": "pace", "unit": "rep-1", "metric": "revenue", "period": "[2026-01-01,2026-04-01)"},
		State:  StateFiring, Severity: SeverityCritical,
		Since: lcT0.Add(time.Hour), LastEval: lcT0.Add(time.Hour), FiredAt: lcT0.Add(time.Hour),
		LastNotified: lcT0.Add(time.Hour), ActiveEvals: 2, FiringEvals: 1, FiringNotified: true,
		Value: s.Value, Threshold: s.Threshold, Message: s.Message,
	}, in)

	// An absent sample keeps the latest value and message; a clear one replaces them.
	r.at(2 * time.Hour)
	in = lcFind(r.states, s.Fingerprint())
	require.Equal(t, StateFiring, in.State)
	require.Equal(t, lcT0.Add(2*time.Hour), in.ClearedAt)
	require.Equal(t, 1, in.ClearEvals)
	require.Equal(t, s.Message, in.Message)

	clear := lcPace("rep-1", false)
	clear.Value, clear.Message = decimal.RequireFromString("0.85"), "rep-1 is back on pace"
	res := r.at(3*time.Hour, clear)
	in = lcFind(r.states, s.Fingerprint())
	require.Equal(t, StateResolved, in.State)
	require.Equal(t, lcT0.Add(3*time.Hour), in.ResolvedAt)
	require.Equal(t, lcT0.Add(time.Hour), in.FiredAt, "FiredAt is kept after resolution")
	require.Len(t, res.Notifications, 1)
	n := res.Notifications[0]
	require.Equal(t, "rep-1 is back on pace", n.Message)
	require.Equal(t, "0.85", n.Value.String())
	require.Equal(t, lcT0.Add(3*time.Hour), n.ResolvedAt)
	require.Equal(t, SeverityCritical, n.Severity)
}

func TestLifecycleSeverity(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Policies: map[string]Policy{"pace": {Severity: SeverityInfo}}})
	res := r.at(0, lcPace("rep-1", true))
	require.Equal(t, SeverityInfo, res.Notifications[0].Severity)

	override := lcPace("rep-2", true)
	override.Severity = SeverityCritical
	res = r.at(time.Hour, lcPace("rep-1", true), override)
	require.Equal(t, []Severity{SeverityInfo, SeverityCritical}, []Severity{res.States[0].Severity, res.States[1].Severity})

	other := Sample{Rule: "stuck", Unit: "rep-1", Active: true}
	res = r.at(2*time.Hour, other)
	require.Equal(t, SeverityWarning, lcFind(res.States, other.Fingerprint()).Severity, "the zero policy raises warnings")
}

func TestLifecycleReminderKeys(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{RepeatInterval: time.Hour}})
	s := lcPace("rep-1", true)
	fp := s.Fingerprint()
	r.at(0, s)
	r.at(time.Hour, s)
	r.at(2*time.Hour, s)
	r.at(5*time.Hour+time.Minute, s) // sparse: only reminder 5
	r.at(6*time.Hour, s)

	var reminders []int
	for _, n := range r.all {
		if n.Kind == NotifyReminder {
			reminders = append(reminders, n.Reminder)
		}
	}
	require.Equal(t, []int{1, 2, 5, 6}, reminders)
	require.Equal(t, []string{
		fp + "/firing/2026-01-05T09:00:00Z/0",
		fp + "/reminder/2026-01-05T09:00:00Z/1",
		fp + "/reminder/2026-01-05T09:00:00Z/2",
		fp + "/reminder/2026-01-05T09:00:00Z/5",
		fp + "/reminder/2026-01-05T09:00:00Z/6",
	}, lcKeys(r.all))
}

func TestLifecycleRefireStartsNewEpisode(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{RepeatInterval: time.Hour, ResolvedRetention: time.Hour}})
	s := lcPace("rep-1", true)
	r.at(0, s)
	r.at(time.Hour, s)
	r.at(2 * time.Hour) // resolves
	r.at(3*time.Hour, s)
	r.at(4*time.Hour, s)
	r.at(5 * time.Hour)
	require.Equal(t, []NotificationKind{NotifyFiring, NotifyReminder, NotifyResolved, NotifyFiring, NotifyReminder, NotifyResolved}, lcKinds(r.all))
	keys := lcKeys(r.all)
	seen := map[string]bool{}
	for _, k := range keys {
		require.False(t, seen[k], "key %s twice", k)
		seen[k] = true
	}
	require.Equal(t, lcT0, r.all[0].FiredAt)
	require.Equal(t, lcT0.Add(3*time.Hour), r.all[3].FiredAt)
	require.Equal(t, 1, r.all[4].Reminder, "reminders count from the new episode")
	in := lcFind(r.states, s.Fingerprint())
	require.Equal(t, 1, in.Reminders)
}

func TestLifecycleRetryIsIdempotent(t *testing.T) {
	lc, err := NewLifecycle(&LifecycleConfig{Default: Policy{RepeatInterval: time.Hour}})
	require.NoError(t, err)
	s := lcPace("rep-1", true)
	first, err := lc.Evaluate(lcT0, nil, []Sample{s}, nil)
	require.NoError(t, err)
	require.Len(t, first.Notifications, 1)

	// A retry from the same previous states yields the same result, keys included.
	again, err := lc.Evaluate(lcT0, nil, []Sample{s}, nil)
	require.NoError(t, err)
	require.Equal(t, first, again)

	// Re-evaluating the saved states at the same (or an earlier) time changes nothing.
	for _, at := range []time.Time{lcT0, lcT0.Add(-time.Minute)} {
		re, err := lc.Evaluate(at, first.States, []Sample{lcPace("rep-1", false)}, nil)
		require.NoError(t, err)
		require.Equal(t, first.States, re.States)
		require.Empty(t, re.Notifications)
		require.Empty(t, re.StateChanges)
	}
}

func TestLifecycleDoesNotAliasInputs(t *testing.T) {
	lc, err := NewLifecycle(nil)
	require.NoError(t, err)
	s := lcPace("rep-1", true)
	s.Extra = Labels{"product": "widgets"}
	res, err := lc.Evaluate(lcT0, nil, []Sample{s}, nil)
	require.NoError(t, err)
	s.Extra["product"] = "gadgets"
	require.Equal(t, "widgets", res.States[0].Labels["product"])
	res.Notifications[0].Labels["product"] = "x"
	require.Equal(t, "widgets", res.States[0].Labels["product"])

	prev := res.States
	res2, err := lc.Evaluate(lcT0.Add(time.Hour), prev, nil, nil)
	require.NoError(t, err)
	res2.States[0].Labels["product"] = "y"
	require.Equal(t, "widgets", prev[0].Labels["product"])
}

func TestLifecycleOrdersStates(t *testing.T) {
	lc, err := NewLifecycle(nil)
	require.NoError(t, err)
	samples := []Sample{
		{Rule: "stuck", Unit: "rep-1", Active: true},
		lcPace("rep-2", true),
		lcPace("rep-1", true),
		{Rule: "pace", Unit: "rep-1", Metric: "calls", Active: true},
	}
	res, err := lc.Evaluate(lcT0, nil, samples, nil)
	require.NoError(t, err)
	var got [][2]string
	for _, in := range res.States {
		got = append(got, [2]string{in.Rule, in.Unit})
	}
	require.Equal(t, [][2]string{{"pace", "rep-1"}, {"pace", "rep-1"}, {"pace", "rep-2"}, {"stuck", "rep-1"}}, got)
	require.Less(t, res.States[0].Fingerprint, res.States[1].Fingerprint)
	for i, in := range res.States {
		require.Equal(t, in.Fingerprint, res.Notifications[i].Fingerprint)
	}
}

func TestNewLifecycleValidation(t *testing.T) {
	org := lcOrg(t)
	cases := []struct {
		name  string
		cfg   LifecycleConfig
		field string
	}{
		{"negative For", LifecycleConfig{Policies: map[string]Policy{"pace": {For: -time.Second}}}, `LifecycleConfig.Policies["pace"].For`},
		{"negative ForPeriods", LifecycleConfig{Policies: map[string]Policy{"pace": {ForPeriods: -1}}}, `LifecycleConfig.Policies["pace"].ForPeriods`},
		{"negative KeepFiringFor", LifecycleConfig{Default: Policy{KeepFiringFor: -1}}, "LifecycleConfig.Default.KeepFiringFor"},
		{"negative KeepFiringForPeriods", LifecycleConfig{Default: Policy{KeepFiringForPeriods: -2}}, "LifecycleConfig.Default.KeepFiringForPeriods"},
		{"negative RepeatInterval", LifecycleConfig{Default: Policy{RepeatInterval: -time.Hour}}, "LifecycleConfig.Default.RepeatInterval"},
		{"negative EscalateAfter", LifecycleConfig{Default: Policy{EscalateAfter: -time.Hour}, Org: org}, "LifecycleConfig.Default.EscalateAfter"},
		{"negative EscalateAfterPeriods", LifecycleConfig{Default: Policy{EscalateAfterPeriods: -1}, Org: org}, "LifecycleConfig.Default.EscalateAfterPeriods"},
		{"negative ResolvedRetention", LifecycleConfig{Default: Policy{ResolvedRetention: -1}}, "LifecycleConfig.Default.ResolvedRetention"},
		{"unknown severity", LifecycleConfig{Default: Policy{Severity: 9}}, "LifecycleConfig.Default.Severity"},
		{"empty rule name", LifecycleConfig{Policies: map[string]Policy{"": {}}}, `LifecycleConfig.Policies[""]`},
		{"escalation without org", LifecycleConfig{Policies: map[string]Policy{"pace": {EscalateAfterPeriods: 2}}}, "LifecycleConfig.Org"},
		{"default escalation without org", LifecycleConfig{Default: Policy{EscalateAfter: time.Hour}}, "LifecycleConfig.Org"},
		{"the first bad rule in name order", LifecycleConfig{Policies: map[string]Policy{"z": {For: -1}, "a": {ForPeriods: -1}}}, `LifecycleConfig.Policies["a"].ForPeriods`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lc, err := NewLifecycle(&tc.cfg)
			require.Nil(t, lc)
			lcRequireInvalid(t, err, tc.field)
		})
	}
	_, err := NewLifecycle(&LifecycleConfig{Default: Policy{EscalateAfterPeriods: 1}, Org: org})
	require.NoError(t, err)
	require.NoError(t, Policy{}.Validate())
	lcRequireInvalid(t, Policy{For: -1}.Validate(), "Policy.For")
}

func TestNewLifecycleCopiesPolicies(t *testing.T) {
	policies := map[string]Policy{"pace": {For: time.Hour}}
	lc, err := NewLifecycle(&LifecycleConfig{Policies: policies})
	require.NoError(t, err)
	policies["pace"] = Policy{}
	require.Equal(t, time.Hour, lc.policy("pace").For)
	require.Equal(t, Policy{}, lc.policy("other"))
}

func TestEvaluateValidation(t *testing.T) {
	lc, err := NewLifecycle(nil)
	require.NoError(t, err)
	good, err := lc.Evaluate(lcT0, nil, []Sample{lcPace("rep-1", true)}, nil)
	require.NoError(t, err)
	in := good.States[0]
	with := func(f func(*Instance)) []Instance {
		c := in
		c.Labels = in.Labels.Clone()
		f(&c)
		return []Instance{c}
	}
	window := Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(time.Hour)}
	cases := []struct {
		name     string
		now      time.Time
		previous []Instance
		samples  []Sample
		silences []Silence
		field    string
	}{
		{"zero now", time.Time{}, nil, nil, nil, "now"},
		{"empty rule", lcT0, nil, []Sample{{Unit: "rep-1"}}, nil, "samples[0].Rule"},
		{"empty unit", lcT0, nil, []Sample{{Rule: "pace"}}, nil, "samples[0].Unit"},
		{"rule not UTF-8", lcT0, nil, []Sample{{Rule: "\xff", Unit: "u"}}, nil, "samples[0].Rule"},
		{"inverted period", lcT0, nil, []Sample{{Rule: "pace", Unit: "u", Period: goal.Period{Start: date.New(2026, 2, 1), End: date.New(2026, 1, 1)}}}, nil, "samples[0].Period"},
		{"identity label in Extra", lcT0, nil, []Sample{{Rule: "pace", Unit: "u", Extra: Labels{"unit": "v"}}}, nil, "samples[0].Extra"},
		{"bad label name", lcT0, nil, []Sample{{Rule: "pace", Unit: "u", Extra: Labels{"a-b": "v"}}}, nil, "samples[0].Extra"},
		{"bad severity", lcT0, nil, []Sample{{Rule: "pace", Unit: "u", Severity: 4}}, nil, "samples[0].Severity"},
		{"two samples of one alert", lcT0, nil, []Sample{lcPace("rep-1", true), lcPace("rep-2", true), lcPace("rep-1", false)}, nil, "samples[2]"},
		{"two previous instances of one alert", lcT0.Add(time.Hour), append(with(func(*Instance) {}), in), nil, nil, "previous[1].Fingerprint"},
		{"tampered fingerprint", lcT0.Add(time.Hour), with(func(c *Instance) { c.Fingerprint = "x" }), nil, nil, "previous[0].Fingerprint"},
		{"tampered labels", lcT0.Add(time.Hour), with(func(c *Instance) { c.Labels["metric"] = "calls" }), nil, nil, "previous[0].Fingerprint"},
		{"rule disagrees with labels", lcT0.Add(time.Hour), with(func(c *Instance) { c.Rule = "stuck" }), nil, nil, "previous[0].Rule"},
		{"unit disagrees with labels", lcT0.Add(time.Hour), with(func(c *Instance) { c.Unit = "rep-2" }), nil, nil, "previous[0].Unit"},
		{"unknown state", lcT0.Add(time.Hour), with(func(c *Instance) { c.State = "burning" }), nil, nil, "previous[0].State"},
		{"bad stored severity", lcT0.Add(time.Hour), with(func(c *Instance) { c.Severity = 7 }), nil, nil, "previous[0].Severity"},
		{"bad silence", lcT0, nil, nil, []Silence{window, {ID: "t", Start: lcT0, End: lcT0.Add(time.Hour)}}, "silences[1].Matchers"},
		{"duplicate silence IDs", lcT0, nil, nil, []Silence{window, window}, "silences[1].ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := lc.Evaluate(tc.now, tc.previous, tc.samples, tc.silences)
			require.Equal(t, Result{}, res)
			lcRequireInvalid(t, err, tc.field)
		})
	}

	// Inactive instances a host kept are ignored, even when malformed.
	res, err := lc.Evaluate(lcT0, []Instance{{State: StateInactive, Fingerprint: "junk"}}, nil, nil)
	require.NoError(t, err)
	require.Equal(t, Result{}, res)
}

// lcRequireInvalid asserts that err is a *ValidationError for field matching ErrInvalid.
func lcRequireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, ErrInvalid)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "%T is not a *ValidationError", err)
	require.Equal(t, field, ve.Field, "reason: %s", ve.Reason)
	require.NotEmpty(t, ve.Reason)
}
