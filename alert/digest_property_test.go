package alert

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDigestsProperties: over random lifecycle runs (holds, reminders,
// escalation, silences, inhibition), every notification an evaluation
// raises is in exactly one digest, its recipient's and its group's, in the
// list of its kind; every digest is due; covered alerts are inhibited by a
// firing alert of the unit named; keys are unique.
func TestDigestsProperties(t *testing.T) {
	org := lcOrg(t)
	var digests, covered, firing int
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 0xd16e))
		sc := lcRandomScenario(r, org)
		g := Grouping{}
		if r.IntN(2) == 0 {
			g.By = []string{LabelRule}
		}
		for i, res := range lcPlay(t, sc) {
			now := sc.evals[i].at
			ds := g.Digests(now, res)
			digests += len(ds)
			placed := map[string]int{}
			keys := map[string]bool{}
			for _, d := range ds {
				require.False(t, keys[d.Key], "seed %d: digest keys are unique", seed)
				keys[d.Key] = true
				require.True(t, d.At.Equal(now))
				due := false
				check := func(n Notification, kinds ...NotificationKind) {
					require.Equal(t, d.Recipient, n.Recipient, "seed %d", seed)
					require.Contains(t, kinds, n.Kind, "seed %d", seed)
					for _, name := range g.By {
						require.Equal(t, d.Group[name], n.Labels[name], "seed %d: one group", seed)
					}
				}
				for _, n := range d.Fired {
					check(n, NotifyFiring, NotifyEscalated)
					placed[n.Key]++
					due = true
				}
				for _, n := range d.Cleared {
					check(n, NotifyResolved)
					placed[n.Key]++
					due = true
				}
				for _, n := range d.Firing {
					check(n, NotifyReminder, NotifyFiring)
					if n.Kind == NotifyReminder {
						placed[n.Key]++
						due = true
					}
				}
				firing += len(d.Firing)
				covered += len(d.Covered)
				for _, c := range d.Covered {
					check(c.Notification, NotifyFiring)
					inh := lcFind(res.States, c.InhibitedBy)
					require.Equal(t, StateFiring, inh.State, "seed %d: covered by a firing alert", seed)
					require.Equal(t, c.By, inh.Unit)
					due = due || c.Notification.FiredAt.Equal(now)
				}
				require.True(t, due, "seed %d: a digest is sent only with news", seed)
			}
			for _, n := range res.Notifications {
				require.Equal(t, 1, placed[n.Key], "seed %d: notification %s in exactly one digest", seed, n.Key)
			}
			require.Len(t, placed, len(res.Notifications), "seed %d: nothing but the evaluation's notifications is news", seed)
			for _, m := range res.Muted {
				if m.SilencedBy == "" {
					continue
				}
				for _, d := range ds {
					for _, c := range d.Covered {
						require.NotEqual(t, m.Notification.Key, c.Notification.Key, "seed %d: silenced stays out", seed)
					}
				}
			}
		}
	}
	require.Positive(t, digests, "the runs make digests")
	require.Positive(t, covered, "and covered alerts")
	require.Positive(t, firing, "and still-firing ones")
}
