package alert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lcDigest is a digest as recipient and the units of each of its lists.
type lcDigest struct {
	Recipient                       string
	Fired, Cleared, Firing, Covered []string // "rule unit"
}

func lcDigestsOf(ds []Digest) []lcDigest {
	var out []lcDigest
	names := func(ns []Notification) []string {
		var s []string
		for _, n := range ns {
			s = append(s, n.Rule+" "+n.Unit)
		}
		return s
	}
	for _, d := range ds {
		x := lcDigest{Recipient: d.Recipient, Fired: names(d.Fired), Cleared: names(d.Cleared), Firing: names(d.Firing)}
		for _, c := range d.Covered {
			x.Covered = append(x.Covered, c.Notification.Rule+" "+c.Notification.Unit+" by "+c.By)
		}
		out = append(out, x)
	}
	return out
}

func lcProjected(unit string, active bool) Sample {
	s := lcPace(unit, active)
	s.Rule = RuleProjectedMiss
	return s
}

// TestDigests steps a team and its reps: one digest per recipient and
// evaluation, only when something changed, a rep under his team's firing
// alert told that it covers his own, the still-firing alerts carried along.
func TestDigests(t *testing.T) {
	r := lcNewRun(t, &LifecycleConfig{Org: lcOrg(t)})
	var g Grouping
	at := func(d time.Duration, samples ...Sample) []Digest {
		t.Helper()
		res := r.at(d, samples...)
		ds := g.Digests(lcT0.Add(d), res)
		require.Equal(t, ds, g.Digests(lcT0.Add(d), res), "deterministic")
		return ds
	}
	team := lcPace("team-a", true)

	ds := at(0, team, lcPace("rep-1", true), lcPace("rep-3", true))
	require.Equal(t, []lcDigest{
		{Recipient: "rep-1", Covered: []string{"pace rep-1 by team-a"}},
		{Recipient: "rep-3", Fired: []string{"pace rep-3"}},
		{Recipient: "team-a", Fired: []string{"pace team-a"}},
	}, lcDigestsOf(ds))
	require.Equal(t, team.Fingerprint(), ds[0].Covered[0].InhibitedBy)
	require.Equal(t, lcT0, ds[0].At)
	firingKey := ds[1].Fired[0].Key

	// Nothing changed: no digest, though rep-1's firing stays due (muted).
	require.Empty(t, at(time.Hour, team, lcPace("rep-1", true), lcPace("rep-3", true)))

	// rep-3 gets a second alert: his digest has it, and the pace alert
	// still firing, with the key of its firing notification.
	ds = at(2*time.Hour, team, lcPace("rep-1", true), lcPace("rep-3", true), lcProjected("rep-3", true))
	require.Equal(t, []lcDigest{{Recipient: "rep-3", Fired: []string{"projected_miss rep-3"}, Firing: []string{"pace rep-3"}}}, lcDigestsOf(ds))
	require.Equal(t, firingKey, ds[0].Firing[0].Key)

	// The pace alert clears; grouped by metric and rule, rep-3 gets a
	// digest per rule.
	g = Grouping{By: []string{"rule"}}
	ds = at(3*time.Hour, team, lcPace("rep-1", true), lcPace("rep-3", false), lcProjected("rep-3", true))
	require.Equal(t, []lcDigest{{Recipient: "rep-3", Cleared: []string{"pace rep-3"}}}, lcDigestsOf(ds),
		"the projected miss still firing is in its own group, which has no news")
	require.Equal(t, Labels{"rule": "pace"}, ds[0].Group)

	// The team clears: rep-1's own alert is notified, no longer covered.
	g = Grouping{}
	ds = at(4*time.Hour, lcPace("team-a", false), lcPace("rep-1", true), lcProjected("rep-3", true))
	require.Equal(t, []lcDigest{
		{Recipient: "rep-1", Fired: []string{"pace rep-1"}},
		{Recipient: "team-a", Cleared: []string{"pace team-a"}},
	}, lcDigestsOf(ds))
}

// TestDigestKey: the key depends on the recipient, the time, the group
// and the notifications that made the digest due.
func TestDigestKey(t *testing.T) {
	d := &Digest{Recipient: "li", At: lcT0}
	k := digestKey(d, []string{"a", "b"})
	require.Equal(t, k, digestKey(d, []string{"a", "b"}))
	require.Regexp(t, `^digest/li/2026-01-05T09:00:00Z/[0-9a-f]{16}$`, k)
	require.NotEqual(t, k, digestKey(d, []string{"ab"}), "keys are length-prefixed")
	require.NotEqual(t, k, digestKey(d, []string{"a"}))
	d.Group = Labels{"metric": "revenue"}
	require.NotEqual(t, k, digestKey(d, []string{"a", "b"}))
}

func TestGroupingValidate(t *testing.T) {
	require.NoError(t, Grouping{By: []string{LabelMetric, "plan"}}.Validate())
	require.ErrorIs(t, Grouping{By: []string{"a-b"}}.Validate(), ErrInvalid)
	require.ErrorContains(t, Grouping{By: []string{"plan", "plan"}}.Validate(), `label "plan" is listed twice`)
}
