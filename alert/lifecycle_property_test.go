package alert

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// lcZone is a zone other than UTC: evaluation times in it must give the same keys.
var lcZone = time.FixedZone("CST", 8*3600)

type lcEval struct {
	at      time.Time
	samples []Sample
}

type lcScenario struct {
	cfg      LifecycleConfig
	silences []Silence
	evals    []lcEval
}

// lcRandomScenario draws policies, silences and a run of evaluations in which each (rule, unit)
// condition flips, persists or goes missing at random.
func lcRandomScenario(r *rand.Rand, org *goal.Org) lcScenario {
	units := []string{"co", "team-a", "rep-1", "rep-2", "team-b", "rep-3"}
	rules := []string{"pace", "stuck"}
	h := time.Hour
	durations := []time.Duration{0, 0, 30 * time.Minute, h, 3 * h}
	policy := func() Policy {
		p := Policy{
			Severity:             Severity(r.IntN(4)),
			For:                  durations[r.IntN(len(durations))],
			ForPeriods:           r.IntN(4),
			KeepFiringFor:        durations[r.IntN(len(durations))],
			KeepFiringForPeriods: r.IntN(3),
			ResolvedRetention:    durations[r.IntN(len(durations))],
		}
		if r.IntN(2) == 0 {
			p.RepeatInterval = time.Duration(1+r.IntN(3)) * h
		}
		switch r.IntN(3) {
		case 0:
			p.EscalateAfterPeriods = 1 + r.IntN(3)
		case 1:
			p.EscalateAfter = time.Duration(1+r.IntN(4)) * h
		}
		return p
	}
	sc := lcScenario{cfg: LifecycleConfig{
		Policies:          map[string]Policy{"pace": policy()},
		Default:           policy(),
		Org:               org,
		DisableInhibition: r.IntN(4) == 0,
	}}
	const steps = 30
	for i := range r.IntN(3) {
		start := lcT0.Add(time.Duration(r.IntN(steps)) * h)
		m := Labels{LabelUnit: units[r.IntN(len(units))]}
		if r.IntN(2) == 0 {
			m = Labels{LabelRule: rules[r.IntN(len(rules))]}
		}
		sc.silences = append(sc.silences, Silence{ID: fmt.Sprint("s", i), Matchers: m, Start: start, End: start.Add(time.Duration(1+r.IntN(10)) * h)})
	}
	cond := map[[2]string]bool{}
	at := lcT0
	for range steps {
		at = at.Add([]time.Duration{10 * time.Minute, h, h, 2 * h}[r.IntN(4)])
		ev := lcEval{at: at}
		if r.IntN(2) == 0 {
			ev.at = at.In(lcZone)
		}
		for _, rule := range rules {
			for _, u := range units {
				k := [2]string{rule, u}
				if r.Float64() < 0.3 {
					cond[k] = !cond[k]
				}
				if r.Float64() < 0.1 {
					continue // absent
				}
				ev.samples = append(ev.samples, Sample{
					Rule: rule, Unit: u, Metric: "revenue", Period: lcQ1, Active: cond[k],
					Value: decimal.NewFromInt(int64(r.IntN(100))), Threshold: decimal.NewFromInt(80),
					Message: fmt.Sprintf("%s %s", rule, u),
				})
			}
		}
		sc.evals = append(sc.evals, ev)
	}
	return sc
}

// lcPlay runs a scenario and returns every Result.
func lcPlay(t *testing.T, sc lcScenario) []Result {
	t.Helper()
	lc, err := NewLifecycle(&sc.cfg)
	require.NoError(t, err)
	var states []Instance
	var out []Result
	for _, ev := range sc.evals {
		res, err := lc.Evaluate(ev.at, states, ev.samples, sc.silences)
		require.NoError(t, err)
		out = append(out, res)
		states = res.States
	}
	return out
}

func lcShuffled[T any](r *rand.Rand, s []T) []T {
	c := slices.Clone(s)
	r.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	return c
}

func TestLifecycleProperties(t *testing.T) {
	org := lcOrg(t)
	seeds := 60
	if testing.Short() {
		seeds = 20
	}
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		sc := lcRandomScenario(r, org)
		lc, err := NewLifecycle(&sc.cfg)
		require.NoError(t, err)
		results := lcPlay(t, sc)

		// Determinism: the same inputs give the same outputs.
		require.Equal(t, results, lcPlay(t, sc), "seed %d", seed)

		prev := map[string]Instance{}
		var states []Instance
		sent := map[string]Notification{}
		type episode struct {
			fp      string
			firedAt time.Time
		}
		kinds := map[episode][]Notification{}
		for i, ev := range sc.evals {
			res := results[i]
			msg := fmt.Sprintf("seed %d, evaluation %d", seed, i)

			// Order independence: shuffled arguments give the same result.
			shuffled, err := lc.Evaluate(ev.at, lcShuffled(r, states), lcShuffled(r, ev.samples), lcShuffled(r, sc.silences))
			require.NoError(t, err)
			require.Equal(t, res, shuffled, msg)

			// Idempotence: evaluating the new states again at the same time changes nothing.
			again, err := lc.Evaluate(ev.at, res.States, ev.samples, sc.silences)
			require.NoError(t, err)
			require.Equal(t, Result{States: res.States}, again, msg)

			// The states are sorted, unique, never inactive, and consistent.
			require.True(t, slices.IsSortedFunc(res.States, func(a, b Instance) int {
				if a.Rule != b.Rule {
					return compareStrings(a.Rule, b.Rule)
				}
				if a.Unit != b.Unit {
					return compareStrings(a.Unit, b.Unit)
				}
				return compareStrings(a.Fingerprint, b.Fingerprint)
			}), msg)
			next := map[string]Instance{}
			for _, in := range res.States {
				_, dup := next[in.Fingerprint]
				require.False(t, dup, msg)
				next[in.Fingerprint] = in
				pol := lc.policy(in.Rule)
				switch in.State {
				case StatePending:
					require.Positive(t, in.ActiveEvals, msg)
					require.True(t, in.FiredAt.IsZero(), msg)
				case StateFiring:
					require.False(t, in.FiredAt.After(in.LastEval), msg)
					require.Positive(t, in.FiringEvals, msg)
				case StateResolved:
					require.False(t, in.ResolvedAt.Before(in.FiredAt), msg)
				default:
					t.Fatalf("%s: state %q in the result", msg, in.State)
				}
				// Holds: an episode fires only once the condition held long enough...
				if in.State == StateFiring && in.FiredAt.Equal(ev.at) {
					if p, ok := prev[in.Fingerprint]; ok && p.State == StatePending {
						require.GreaterOrEqual(t, ev.at.Sub(p.Since), pol.For, msg)
						require.GreaterOrEqual(t, p.ActiveEvals+1, pol.ForPeriods, msg)
					} else {
						require.Zero(t, pol.For, msg)
						require.LessOrEqual(t, pol.ForPeriods, 1, msg)
					}
				}
				// ...and resolves only once it has been clear long enough.
				if in.State == StateResolved && in.ResolvedAt.Equal(ev.at) {
					p := prev[in.Fingerprint]
					require.Equal(t, StateFiring, p.State, msg)
					cleared := p.ClearedAt
					if p.ClearEvals == 0 {
						cleared = ev.at
					}
					require.GreaterOrEqual(t, ev.at.Sub(cleared), pol.KeepFiringFor, msg)
					require.Greater(t, p.ClearEvals+1, pol.KeepFiringForPeriods, msg)
				}
			}

			for _, n := range res.Notifications {
				// Every event is emitted once, under the key of its identity.
				_, dup := sent[n.Key]
				require.False(t, dup, "%s: key %s twice", msg, n.Key)
				sent[n.Key] = n
				require.Equal(t, NotificationKey(n.Fingerprint, n.Kind, n.FiredAt, n.Reminder), n.Key, msg)
				require.Equal(t, n.Labels.Fingerprint(), n.Fingerprint, msg)
				ep := episode{n.Fingerprint, n.FiredAt.UTC()}
				kinds[ep] = append(kinds[ep], n)

				// Nothing muted is emitted.
				for _, s := range sc.silences {
					require.False(t, s.mutes(n.Labels, n.At), "%s: %s emitted under silence %s", msg, n.Key, s.ID)
				}
				if !sc.cfg.DisableInhibition {
					key := inhibitionKey(n.Labels)
					for _, in := range res.States {
						if in.State == StateFiring && inhibitionKey(in.Labels) == key {
							require.False(t, org.IsAncestor(in.Unit, n.Unit), "%s: %s emitted while %s fires", msg, n.Key, in.Unit)
						}
					}
				}
				if n.Kind == NotifyEscalated {
					require.Equal(t, lc.parent(n.Unit), n.Recipient, msg)
				} else {
					require.Equal(t, n.Unit, n.Recipient, msg)
				}
			}
			prev, states = next, res.States
		}

		// Per episode: one firing first; reminders increasing; at most one escalation; at most
		// one resolution, last.
		for ep, ns := range kinds {
			msg := fmt.Sprintf("seed %d, episode %v", seed, ep)
			require.Equal(t, NotifyFiring, ns[0].Kind, msg)
			counts := map[NotificationKind]int{}
			last := 0
			for i, n := range ns {
				counts[n.Kind]++
				switch n.Kind {
				case NotifyReminder:
					require.Greater(t, n.Reminder, last, msg)
					last = n.Reminder
				case NotifyResolved:
					require.Equal(t, len(ns)-1, i, msg)
				}
			}
			require.Equal(t, 1, counts[NotifyFiring], msg)
			require.LessOrEqual(t, counts[NotifyEscalated], 1, msg)
			require.LessOrEqual(t, counts[NotifyResolved], 1, msg)
		}
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
