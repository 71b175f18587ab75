package alert

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/stretchr/testify/require"
)

// lcOrg is co → team-a → {rep-1, rep-2}, co → team-b → rep-3.
func lcOrg(t *testing.T) *goal.Org {
	t.Helper()
	org, err := goal.NewOrg([]goal.Unit{
		{ID: "co", Kind: "company"},
		{ID: "team-a", Parent: "co", Kind: "team"},
		{ID: "rep-1", Parent: "team-a", Kind: "rep"},
		{ID: "rep-2", Parent: "team-a", Kind: "rep"},
		{ID: "team-b", Parent: "co", Kind: "team"},
		{ID: "rep-3", Parent: "team-b", Kind: "rep"},
	})
	require.NoError(t, err)
	return org
}

type lcSent struct {
	Kind      NotificationKind
	Unit      string
	Recipient string
}

func lcSentOf(ns []Notification) []lcSent {
	var out []lcSent
	for _, n := range ns {
		out = append(out, lcSent{n.Kind, n.Unit, n.Recipient})
	}
	return out
}

func TestInhibitionTeamSuppressesItsReps(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: Policy{RepeatInterval: time.Hour}})
	team := lcPace("team-a", true)

	res := r.at(0, team, lcPace("rep-1", true), lcPace("rep-2", true), lcPace("rep-3", true))
	require.Equal(t, []lcSent{
		{NotifyFiring, "rep-3", "rep-3"}, // team-b is not firing
		{NotifyFiring, "team-a", "team-a"},
	}, lcSentOf(res.Notifications))
	require.Len(t, res.Muted, 2)
	for i, unit := range []string{"rep-1", "rep-2"} {
		require.Equal(t, unit, res.Muted[i].Notification.Unit)
		require.Equal(t, team.Fingerprint(), res.Muted[i].InhibitedBy)
		require.Empty(t, res.Muted[i].SilencedBy)
	}
	muted := res.Muted[0].Notification.Key
	for _, unit := range []string{"rep-1", "rep-2"} {
		require.Equal(t, StateFiring, r.state(lcPace(unit, true)), "inhibited alerts still fire")
	}

	// While the team fires, the reps' reminders are muted too.
	res = r.at(time.Hour, team, lcPace("rep-1", true), lcPace("rep-2", true), lcPace("rep-3", true))
	require.Equal(t, []lcSent{
		{NotifyReminder, "rep-3", "rep-3"},
		{NotifyReminder, "team-a", "team-a"},
	}, lcSentOf(res.Notifications))
	require.Equal(t, []string{muted, res.Muted[1].Notification.Key}, lcKeys(lcMutedNotifications(res.Muted)),
		"the reps' firing stays due, with the same keys; no reminder is due before it")
	require.Equal(t, []NotificationKind{NotifyFiring, NotifyFiring}, lcKinds(lcMutedNotifications(res.Muted)))

	// The team resolves: the reps still firing are notified, with the keys they were muted with.
	team.Active = false
	res = r.at(90*time.Minute, team, lcPace("rep-1", true), lcPace("rep-2", false), lcPace("rep-3", true))
	require.Equal(t, []lcSent{
		{NotifyFiring, "rep-1", "rep-1"},
		{NotifyResolved, "team-a", "team-a"},
	}, lcSentOf(res.Notifications))
	require.Equal(t, muted, res.Notifications[0].Key)
	require.Equal(t, lcT0, res.Notifications[0].FiredAt, "the episode started when rep-1 fired, not when it was notified")
	require.Empty(t, res.Muted, "rep-2 resolved without ever being notified, so its resolution is not news")
}

func TestInhibitionFromAnyAncestor(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t)})
	co := lcPace("co", true)
	res := r.at(0, co, lcPace("team-a", true), lcPace("rep-1", true), lcPace("rep-3", true))
	require.Equal(t, []lcSent{{NotifyFiring, "co", "co"}}, lcSentOf(res.Notifications))
	inhibitedBy := map[string]string{}
	for _, m := range res.Muted {
		inhibitedBy[m.Notification.Unit] = m.InhibitedBy
	}
	require.Equal(t, map[string]string{
		"team-a": co.Fingerprint(),
		"rep-1":  lcPace("team-a", true).Fingerprint(), // the nearest firing ancestor
		"rep-3":  co.Fingerprint(),                     // team-b is not firing; co is
	}, inhibitedBy)
}

func TestInhibitionNeedsTheSameLabels(t *testing.T) {
	org := lcOrg(t)
	otherRule := lcPace("team-a", true)
	otherRule.Rule = "projection"
	otherMetric := lcPace("team-a", true)
	otherMetric.Metric = "calls"
	otherPeriod := lcPace("team-a", true)
	otherPeriod.Period = goal.Period{Grain: goal.Month, Start: lcQ1.Start, End: lcQ1.Start + 31, Label: "2026-01"}
	extra := lcPace("team-a", true)
	extra.Extra = Labels{"product": "widgets"}

	cases := []struct {
		name   string
		cfg    LifecycleConfig
		source Sample
		rep    Sample
	}{
		{"another rule", LifecycleConfig{Org: org}, otherRule, lcPace("rep-1", true)},
		{"another metric", LifecycleConfig{Org: org}, otherMetric, lcPace("rep-1", true)},
		{"another period", LifecycleConfig{Org: org}, otherPeriod, lcPace("rep-1", true)},
		{"an extra label", LifecycleConfig{Org: org}, extra, lcPace("rep-1", true)},
		{"a sibling team", LifecycleConfig{Org: org}, lcPace("team-b", true), lcPace("rep-1", true)},
		{"inhibition disabled", LifecycleConfig{Org: org, DisableInhibition: true}, lcPace("team-a", true), lcPace("rep-1", true)},
		{"no org", LifecycleConfig{}, lcPace("team-a", true), lcPace("rep-1", true)},
		{"a unit outside the org", LifecycleConfig{Org: org}, lcPace("team-a", true), lcPace("rep-99", true)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := lcNewRun(t, &tc.cfg)
			res := r.at(0, tc.source, tc.rep)
			require.Empty(t, res.Muted)
			require.Contains(t, lcSentOf(res.Notifications), lcSent{NotifyFiring, tc.rep.Unit, tc.rep.Unit})
		})
	}
}

func TestInhibitionOnlyWhileTheTeamFires(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: Policy{ForPeriods: 2}})
	rep, team := lcPace("rep-1", true), lcPace("team-a", true)
	r.at(0, rep)
	res := r.at(time.Hour, rep, team)
	require.Equal(t, StatePending, r.state(team))
	require.Equal(t, []lcSent{{NotifyFiring, "rep-1", "rep-1"}}, lcSentOf(res.Notifications), "a pending team inhibits nothing")
	require.Empty(t, res.Muted)
}

func TestInhibitedResolutionNotifiedAfterTeamResolves(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: Policy{ResolvedRetention: 2 * time.Hour}})
	rep := lcPace("rep-1", true)
	team := lcPace("team-a", true)
	r.at(0, rep) // rep notified
	res := r.at(time.Hour, rep, team)
	require.Equal(t, []lcSent{{NotifyFiring, "team-a", "team-a"}}, lcSentOf(res.Notifications))

	rep.Active = false
	res = r.at(2*time.Hour, rep, team)
	require.Empty(t, res.Notifications)
	require.Len(t, res.Muted, 1)
	require.Equal(t, NotifyResolved, res.Muted[0].Notification.Kind)
	require.Equal(t, StateResolved, r.state(rep))

	team.Active = false
	res = r.at(3*time.Hour, rep, team)
	require.Equal(t, []lcSent{{NotifyResolved, "rep-1", "rep-1"}, {NotifyResolved, "team-a", "team-a"}}, lcSentOf(res.Notifications))
	require.Equal(t, lcT0.Add(2*time.Hour), res.Notifications[0].ResolvedAt)
}

func TestEscalation(t *testing.T) {
	h := time.Hour
	cases := []struct {
		name string
		pol  Policy
		unit string
		// the evaluations (hours since lcT0, all with the condition on) and, for each, whether
		// an escalation is sent
		hours     []int
		escalated []bool
		recipient string
	}{
		{"after periods, once", Policy{EscalateAfterPeriods: 2}, "rep-1",
			[]int{0, 1, 2, 3, 4}, []bool{false, false, true, false, false}, "team-a"},
		{"after one period: the next evaluation", Policy{EscalateAfterPeriods: 1}, "rep-1",
			[]int{0, 1, 2}, []bool{false, true, false}, "team-a"},
		{"after a duration", Policy{EscalateAfter: 24 * h}, "rep-3",
			[]int{0, 12, 23, 24, 48}, []bool{false, false, false, true, false}, "team-b"},
		{"after both", Policy{EscalateAfter: 24 * h, EscalateAfterPeriods: 3}, "rep-1",
			[]int{0, 24, 25, 26}, []bool{false, false, false, true}, "team-a"},
		{"a team escalates to the company", Policy{EscalateAfterPeriods: 1}, "team-a",
			[]int{0, 1}, []bool{false, true}, "co"},
		{"the root has nobody to escalate to", Policy{EscalateAfterPeriods: 1}, "co",
			[]int{0, 1, 2}, []bool{false, false, false}, ""},
		{"a unit outside the org has nobody to escalate to", Policy{EscalateAfterPeriods: 1}, "rep-99",
			[]int{0, 1, 2}, []bool{false, false, false}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: tc.pol})
			for i, hr := range tc.hours {
				res := r.at(time.Duration(hr)*h, lcPace(tc.unit, true))
				var got []lcSent
				for _, s := range lcSentOf(res.Notifications) {
					if s.Kind == NotifyEscalated {
						got = append(got, s)
					}
				}
				if tc.escalated[i] {
					require.Equal(t, []lcSent{{NotifyEscalated, tc.unit, tc.recipient}}, got, "evaluation at +%dh", hr)
				} else {
					require.Empty(t, got, "evaluation at +%dh", hr)
				}
			}
		})
	}
}

func TestEscalationOncePerEpisode(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: Policy{EscalateAfterPeriods: 1, KeepFiringForPeriods: 1}})
	s := lcPace("rep-1", true)
	r.at(0, s)
	r.at(time.Hour, s)   // escalates
	r.at(2 * time.Hour)  // clear, keeps firing
	r.at(3*time.Hour, s) // same episode: no second escalation
	r.at(4 * time.Hour)  // clear
	r.at(5 * time.Hour)  // resolves
	r.at(6*time.Hour, s) // new episode
	r.at(7*time.Hour, s) // escalates again
	require.Equal(t, []NotificationKind{NotifyFiring, NotifyEscalated, NotifyResolved, NotifyFiring, NotifyEscalated}, lcKinds(r.all))
	require.NotEqual(t, r.all[1].Key, r.all[4].Key)
	require.Equal(t, NotificationKey(s.Fingerprint(), NotifyEscalated, lcT0.Add(6*time.Hour), 0), r.all[4].Key)
	for _, i := range []int{1, 4} {
		require.Equal(t, "team-a", r.all[i].Recipient)
		require.Equal(t, "rep-1", r.all[i].Unit)
		require.Equal(t, s.Message, r.all[i].Message)
	}
}

func TestEscalationMutedThenSent(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t), Default: Policy{EscalateAfterPeriods: 1}})
	r.silences = []Silence{{ID: "quiet", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(2 * time.Hour)}}
	s := lcPace("rep-1", true)
	res := r.at(0, s)
	require.Equal(t, []NotificationKind{NotifyFiring}, lcKinds(lcMutedNotifications(res.Muted)))
	res = r.at(time.Hour, s)
	require.Equal(t, []NotificationKind{NotifyFiring, NotifyEscalated}, lcKinds(lcMutedNotifications(res.Muted)))
	res = r.at(2*time.Hour, s)
	require.Equal(t, []lcSent{{NotifyFiring, "rep-1", "rep-1"}, {NotifyEscalated, "rep-1", "team-a"}}, lcSentOf(res.Notifications))
	res = r.at(3*time.Hour, s)
	require.Empty(t, res.Notifications)
}

func lcMutedNotifications(ms []Muted) []Notification {
	var out []Notification
	for _, m := range ms {
		out = append(out, m.Notification)
	}
	return out
}
