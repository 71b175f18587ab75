package alert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSilenceValidate(t *testing.T) {
	start, end := lcT0, lcT0.Add(time.Hour)
	cases := []struct {
		name  string
		s     Silence
		field string
	}{
		{"no ID", Silence{Matchers: Labels{"unit": "rep-1"}, Start: start, End: end}, "Silence.ID"},
		{"no matchers", Silence{ID: "s", Start: start, End: end}, "Silence.Matchers"},
		{"no start", Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, End: end}, "Silence.Start"},
		{"no end", Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, Start: start}, "Silence.Start"},
		{"empty window", Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, Start: start, End: start}, "Silence.End"},
		{"inverted window", Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, Start: end, End: start}, "Silence.End"},
		{"bad matcher name", Silence{ID: "s", Matchers: Labels{"": "x"}, Start: start, End: end}, "Silence.Matchers"},
		{"matcher value not UTF-8", Silence{ID: "s", Matchers: Labels{"unit": "\xff"}, Start: start, End: end}, `Silence.Matchers["unit"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lcRequireInvalid(t, tc.s.Validate(), tc.field)
		})
	}
	require.NoError(t, Silence{ID: "s", Matchers: Labels{"unit": "rep-1"}, Start: start, End: end}.Validate())
}

func TestSilenceMutes(t *testing.T) {
	s := Silence{ID: "s", Matchers: Labels{"rule": "pace", "unit": "rep-1"}, Start: lcT0, End: lcT0.Add(time.Hour)}
	labels := lcPace("rep-1", true).Labels()
	cases := []struct {
		name   string
		labels Labels
		at     time.Time
		want   bool
	}{
		{"at the start", labels, lcT0, true},
		{"inside", labels, lcT0.Add(59 * time.Minute), true},
		{"at the end", labels, lcT0.Add(time.Hour), false},
		{"before", labels, lcT0.Add(-time.Nanosecond), false},
		{"another unit", lcPace("rep-2", true).Labels(), lcT0, false},
		{"a label missing", Labels{"unit": "rep-1"}, lcT0, false},
		{"the same instant in another zone", labels, lcT0.In(time.FixedZone("CST", 8*3600)), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, s.mutes(tc.labels, tc.at))
		})
	}
	require.False(t, Silence{Start: lcT0, End: lcT0.Add(time.Hour)}.mutes(labels, lcT0), "a silence without matchers mutes nothing")
}

func TestSilencedAlertChangesStateButDoesNotNotify(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{RepeatInterval: time.Hour}})
	r.silences = []Silence{{ID: "vacation", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(3 * time.Hour)}}
	s, other := lcPace("rep-1", true), lcPace("rep-2", true)

	res := r.at(0, s, other)
	require.Equal(t, []lcSent{{NotifyFiring, "rep-2", "rep-2"}}, lcSentOf(res.Notifications))
	require.Len(t, res.Muted, 1)
	require.Equal(t, Muted{Notification: res.Muted[0].Notification, SilencedBy: "vacation"}, res.Muted[0])
	require.Equal(t, StateFiring, r.state(s))
	mutedKey := res.Muted[0].Notification.Key

	res = r.at(time.Hour, s, other)
	require.Equal(t, []lcSent{{NotifyReminder, "rep-2", "rep-2"}}, lcSentOf(res.Notifications))
	require.Equal(t, []NotificationKind{NotifyFiring}, lcKinds(lcMutedNotifications(res.Muted)), "the firing stays due; no reminder before it")

	// The silence ends: the firing is notified once, with its key, and the reminders go on
	// from there.
	res = r.at(3*time.Hour, s, other)
	require.Equal(t, []lcSent{{NotifyFiring, "rep-1", "rep-1"}, {NotifyReminder, "rep-2", "rep-2"}}, lcSentOf(res.Notifications))
	require.Equal(t, mutedKey, res.Notifications[0].Key)
	require.Equal(t, 3, lcFind(r.states, s.Fingerprint()).Reminders)
	res = r.at(4*time.Hour, s, other)
	require.Equal(t, []lcSent{{NotifyReminder, "rep-1", "rep-1"}, {NotifyReminder, "rep-2", "rep-2"}}, lcSentOf(res.Notifications))
	require.Equal(t, 4, res.Notifications[0].Reminder)
}

func TestSilenceAfterFiringSkipsRemindersAndDefersResolution(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{RepeatInterval: time.Hour, ResolvedRetention: 3 * time.Hour}})
	s := lcPace("rep-1", true)
	r.at(0, s)
	r.silences = []Silence{{ID: "ack", Matchers: Labels{"rule": "pace"}, Start: lcT0.Add(time.Minute), End: lcT0.Add(4 * time.Hour)}}

	res := r.at(time.Hour, s)
	require.Empty(t, res.Notifications)
	require.Equal(t, []NotificationKind{NotifyReminder}, lcKinds(lcMutedNotifications(res.Muted)))
	require.Equal(t, 1, lcFind(r.states, s.Fingerprint()).Reminders, "a muted reminder is skipped, not replayed")

	s.Active = false
	res = r.at(2*time.Hour, s)
	require.Empty(t, res.Notifications)
	require.Equal(t, []NotificationKind{NotifyResolved}, lcKinds(lcMutedNotifications(res.Muted)))
	require.Equal(t, StateResolved, r.state(s))

	res = r.at(3*time.Hour, s)
	require.Equal(t, []NotificationKind{NotifyResolved}, lcKinds(lcMutedNotifications(res.Muted)))

	// The silence ends within the retention: the resolution is notified, once.
	res = r.at(4*time.Hour, s)
	require.Equal(t, []NotificationKind{NotifyResolved}, lcKinds(res.Notifications))
	require.Equal(t, lcT0.Add(2*time.Hour), res.Notifications[0].ResolvedAt)
	require.Equal(t, NotificationKey(s.Fingerprint(), NotifyResolved, lcT0, 0), res.Notifications[0].Key)
	res = r.at(4*time.Hour+time.Minute, s)
	require.Empty(t, res.Notifications)
	require.Equal(t, StateResolved, r.state(s))
	r.at(5*time.Hour, s)
	require.Equal(t, StateInactive, r.state(s))
}

func TestSilencedPastRetentionResolutionIsDropped(t *testing.T) {
	r := lcNewRun(t, nil)
	s := lcPace("rep-1", true)
	r.at(0, s)
	r.silences = []Silence{{ID: "ack", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(4 * time.Hour)}}
	s.Active = false
	res := r.at(time.Hour, s)
	require.Len(t, res.Muted, 1)
	res = r.at(2*time.Hour, s)
	require.Empty(t, res.States)
	require.Empty(t, res.Muted)
	res = r.at(5*time.Hour, s)
	require.Empty(t, res.Notifications)
}

func TestSilencedWholeEpisodeSendsNothing(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Default: Policy{ResolvedRetention: 24 * time.Hour}})
	r.silences = []Silence{{ID: "ack", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(2 * time.Hour)}}
	s := lcPace("rep-1", true)
	r.at(0, s)
	s.Active = false
	r.at(time.Hour, s)
	res := r.at(3*time.Hour, s)
	require.Equal(t, StateResolved, r.state(s))
	require.Empty(t, res.Notifications, "a resolution of a firing nobody was told about is not notified")
	require.Empty(t, r.all)
}

func TestSilenceReportsSmallestMatchingID(t *testing.T) {
	lc, err := NewLifecycle(nil)
	require.NoError(t, err)
	silences := []Silence{
		{ID: "b", Matchers: Labels{"unit": "rep-1"}, Start: lcT0, End: lcT0.Add(time.Hour)},
		{ID: "a", Matchers: Labels{"rule": "pace"}, Start: lcT0, End: lcT0.Add(time.Hour)},
		{ID: "0", Matchers: Labels{"rule": "pace"}, Start: lcT0.Add(time.Minute), End: lcT0.Add(time.Hour)},
	}
	res, err := lc.Evaluate(lcT0, nil, []Sample{lcPace("rep-1", true)}, silences)
	require.NoError(t, err)
	require.Equal(t, "a", res.Muted[0].SilencedBy)
}
