package goalkit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// March 2026 has 22 working days: a calls target of 220 a rep expects 10
// calls a working day. Calls are counts, so the pace rule's dispersion is 1:
// as of the k-th working day the rule flags an actual below
// 10k − 2.33·√(10k).
var callsPace = map[string]alert.PaceRule{"calls": {Dispersion: 1}}

// callsPlan decomposes unit's March calls evenly over its subtree, 220 per
// rep, with no split over time: every goal is paced by working days.
func (f *fixture) callsPlan(t testing.TB, id, unit string, target int64) *goal.Plan {
	t.Helper()
	p, err := f.engine.Decompose(f.ctx, goal.Spec{
		PlanID: id, Metric: calls, Unit: unit, Period: f.period(t, "2026-03"), Target: decimal.NewFromInt(target),
	}, who)
	require.NoError(t, err)
	return p
}

// alertsByUnit returns the stored, live alert states by unit.
func alertsByUnit(t testing.TB, f *fixture) map[string]storage.AlertState {
	t.Helper()
	stored, err := f.store.ListAlerts(f.ctx)
	require.NoError(t, err)
	out := map[string]storage.AlertState{}
	for _, s := range stored {
		if s.State != "inactive" {
			out[s.Labels[alert.LabelUnit]] = s
		}
	}
	return out
}

func undelivered(t testing.TB, f *fixture) []storage.Notification {
	t.Helper()
	ns, err := f.store.ListUndelivered(f.ctx, 0)
	require.NoError(t, err)
	return ns
}

func keysOf(ns []alert.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Key)
	}
	return out
}

func storedKeys(ns []storage.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Key)
	}
	return out
}

// TestPaceAlertLifecycle steps li through March: on plan on the 2nd,
// behind from the 4th (pending: the policy wants two evaluations), firing on
// the 5th, still firing on the 6th, caught up on the 9th (resolved) and gone
// on the 10th.
func TestPaceAlertLifecycle(t *testing.T) {
	rec := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Notifier = rec
		c.Rules.Pace = callsPace
		c.Lifecycle = &alert.LifecycleConfig{Policies: map[string]alert.Policy{alert.RulePace: {ForPeriods: 2}}}
	})
	f.callsPlan(t, "li-calls", "li", 220)
	f.ingest(t, call("li-0302", "li", "2026-03-02", 10))
	march := f.period(t, "2026-03")

	steps := []struct {
		asOf          string
		facts         int64 // calls li makes that day, ingested before the evaluation
		state         alert.State
		transition    string // "from→to", "" for none
		notifications []alert.NotificationKind
	}{
		{"2026-03-02", 0, "", "", nil},
		{"2026-03-04", 0, alert.StatePending, "inactive→pending", nil},
		{"2026-03-05", 0, alert.StateFiring, "pending→firing", []alert.NotificationKind{alert.NotifyFiring}},
		{"2026-03-05", 0, alert.StateFiring, "", nil}, // the same date again: nothing changes
		{"2026-03-06", 0, alert.StateFiring, "", nil},
		{"2026-03-09", 50, alert.StateResolved, "firing→resolved", []alert.NotificationKind{alert.NotifyResolved}},
		{"2026-03-10", 0, "", "resolved→inactive", nil},
	}
	var delivered []alert.Notification
	for i, s := range steps {
		asOf := day(s.asOf)
		if s.facts > 0 {
			f.ingest(t, call("li-"+s.asOf, "li", s.asOf, s.facts))
		}
		before := alertsByUnit(t, f)
		ev, err := f.engine.Evaluate(f.ctx, asOf)
		require.NoError(t, err, "step %d", i)
		require.Equal(t, asOf, ev.AsOf)
		require.Equal(t, 1, ev.Goals)

		var transitions []string
		for _, tr := range ev.StateChanges {
			transitions = append(transitions, string(tr.From)+"→"+string(tr.To))
		}
		if s.transition == "" {
			require.Empty(t, transitions, "step %d (%s)", i, s.asOf)
		} else {
			require.Equal(t, []string{s.transition}, transitions, "step %d (%s)", i, s.asOf)
		}
		var kinds []alert.NotificationKind
		for _, n := range ev.Notifications {
			kinds = append(kinds, n.Kind)
		}
		require.Equal(t, s.notifications, kinds, "step %d (%s)", i, s.asOf)

		// The states and the notifications are in the store.
		after := alertsByUnit(t, f)
		if s.state == "" {
			require.Empty(t, ev.States)
			require.Empty(t, after)
		} else {
			require.Len(t, ev.States, 1)
			require.Equal(t, s.state, ev.States[0].State)
			require.Equal(t, string(s.state), after["li"].State)
			require.Equal(t, ev.States[0].Fingerprint, after["li"].Fingerprint)
		}
		if i > 0 && steps[i-1].asOf == s.asOf {
			b, a := before["li"], after["li"]
			b.Version, a.Version = 0, 0
			require.Equal(t, b, a, "a second evaluation at the same date changes nothing")
		}
		require.Equal(t, keysOf(ev.Notifications), storedKeys(undelivered(t, f)), "step %d: the outbox holds this evaluation's notifications", i)

		n, err := f.engine.Deliver(f.ctx)
		require.NoError(t, err)
		require.Equal(t, len(ev.Notifications), n)
		require.Empty(t, undelivered(t, f), "delivered notifications are marked")
		delivered = append(delivered, ev.Notifications...)
	}

	got := rec.Notifications()
	require.Equal(t, keysOf(delivered), keysOf(got))
	require.Zero(t, rec.Duplicates())
	firing, resolved := got[0], got[1]
	require.Equal(t, alert.NotifyFiring, firing.Kind)
	require.Equal(t, "li", firing.Unit)
	require.Equal(t, "li", firing.Recipient)
	require.Equal(t, alert.RulePace, firing.Rule)
	require.Equal(t, "calls", firing.Labels[alert.LabelMetric])
	require.Equal(t, alert.PeriodLabel(march), firing.Labels[alert.LabelPeriod])
	requireDec(t, "10", firing.Value)     // actual as of the 5th
	requireDec(t, "40", firing.Threshold) // expected: 4 working days × 10
	require.NotEmpty(t, firing.Message)
	require.Equal(t, day("2026-03-05").MidnightUTC(), firing.FiredAt.UTC())
	require.Equal(t, alert.NotifyResolved, resolved.Kind)
	require.Equal(t, firing.FiredAt, resolved.FiredAt)
	require.Equal(t, day("2026-03-09").MidnightUTC(), resolved.ResolvedAt.UTC())
	require.Equal(t, alert.NotificationKey(firing.Fingerprint, alert.NotifyFiring, firing.FiredAt, 0), firing.Key)

	// The dropped instance stays as an inactive row, so its version keeps
	// counting; nothing else is left.
	stored, err := f.store.ListAlerts(f.ctx)
	require.NoError(t, err)
	require.Len(t, stored, 1)
	require.Equal(t, "inactive", stored[0].State)
}

// failingTx fails Enqueue inside the engine's transaction.
type failingTx struct{ storage.Tx }

func (failingTx) Enqueue(context.Context, storage.Notification) error {
	return errors.New("outbox table is full")
}

// failingOutbox is a store whose transactions cannot enqueue.
type failingOutbox struct{ storage.Store }

func (s failingOutbox) InTx(ctx context.Context, fn func(storage.Tx) error) error {
	return s.Store.InTx(ctx, func(tx storage.Tx) error { return fn(failingTx{tx}) })
}

// TestEvaluateWritesStatesAndOutboxTogether makes the outbox write fail:
// the alert state that raised the notification is not written either.
func TestEvaluateWritesStatesAndOutboxTogether(t *testing.T) {
	configure := func(c *goalkit.Config) { c.Rules.Pace = callsPace }
	f := newFixture(t, nil, configure)
	f.callsPlan(t, "li-calls", "li", 220)

	cfg := &goalkit.Config{Metrics: []goal.Metric{revenue, calls}, Calendar: f.cal, Now: f.clock.Now}
	configure(cfg)
	broken, err := goalkit.New(f.ctx, failingOutbox{f.store}, cfg)
	require.NoError(t, err)

	_, err = broken.Evaluate(f.ctx, day("2026-03-05"))
	require.ErrorContains(t, err, "outbox table is full")
	require.Contains(t, err.Error(), "goalkit: evaluate as of 2026-03-05")
	stored, err := f.store.ListAlerts(f.ctx)
	require.NoError(t, err)
	require.Empty(t, stored, "no state without its notification")
	require.Empty(t, undelivered(t, f))

	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-05"))
	require.NoError(t, err)
	require.Len(t, ev.Notifications, 1)
	require.Len(t, undelivered(t, f), 1)
	require.Len(t, alertsByUnit(t, f), 1)
}

func TestDeliverWithoutNotifier(t *testing.T) {
	f := newFixture(t, nil, nil)
	n, err := f.engine.Deliver(f.ctx)
	require.ErrorIs(t, err, goalkit.ErrInvalid)
	require.Contains(t, err.Error(), "Config.Notifier")
	require.Zero(t, n)
}

// TestInhibitionAndEscalation lets north and both its reps fall behind:
// north's firing alert speaks for li's and wang's (their notifications are
// muted, inhibited by it), and after two more evaluations north's alert
// escalates to acme, once. When north is back on pace (li made up for
// wang) its alert resolves and wang's, still firing, is notified with the
// key it was muted with.
func TestInhibitionAndEscalation(t *testing.T) {
	rec := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Notifier = rec
		c.Rules.Pace = callsPace
		c.Lifecycle = &alert.LifecycleConfig{Policies: map[string]alert.Policy{alert.RulePace: {EscalateAfterPeriods: 2}}}
	})
	f.callsPlan(t, "north-calls", "north", 440)

	type sent struct {
		kind     alert.NotificationKind
		unit, to string
	}
	// evaluate returns what was sent and what was due but inhibited.
	evaluate := func(asOf string) (out, muted []sent, ev goalkit.Evaluation) {
		t.Helper()
		ev, err := f.engine.Evaluate(f.ctx, day(asOf))
		require.NoError(t, err)
		require.Equal(t, 3, ev.Goals)
		for _, n := range ev.Notifications {
			out = append(out, sent{n.Kind, n.Unit, n.Recipient})
		}
		for _, m := range ev.Muted {
			require.Empty(t, m.SilencedBy)
			require.NotEmpty(t, m.InhibitedBy)
			muted = append(muted, sent{m.Notification.Kind, m.Notification.Unit, m.Notification.Recipient})
		}
		_, err = f.engine.Deliver(f.ctx)
		require.NoError(t, err)
		return out, muted, ev
	}
	firingLi, firingWang := sent{alert.NotifyFiring, "li", "li"}, sent{alert.NotifyFiring, "wang", "wang"}
	escalatedLi, escalatedWang := sent{alert.NotifyEscalated, "li", "north"}, sent{alert.NotifyEscalated, "wang", "north"}

	// 3 March: nobody called. Everyone fires; only north is notified.
	got, muted, ev := evaluate("2026-03-03")
	require.Equal(t, []sent{{alert.NotifyFiring, "north", "north"}}, got)
	require.ElementsMatch(t, []sent{firingLi, firingWang}, muted)
	var northFP string
	mutedKey := map[string]string{}
	for _, in := range ev.States {
		require.Equal(t, alert.StateFiring, in.State, in.Unit)
		if in.Unit == "north" {
			northFP = in.Fingerprint
		}
	}
	for _, m := range ev.Muted {
		require.Equal(t, northFP, m.InhibitedBy)
		mutedKey[m.Notification.Unit] = m.Notification.Key
	}

	// 4 March: still firing, nothing sent; the reps' firings stay due and
	// muted while north fires.
	got, muted, _ = evaluate("2026-03-04")
	require.Empty(t, got)
	require.ElementsMatch(t, []sent{firingLi, firingWang}, muted)

	// 5 March: the third firing evaluation escalates north to acme; the
	// reps' escalations to north are inhibited too.
	got, muted, _ = evaluate("2026-03-05")
	require.Equal(t, []sent{{alert.NotifyEscalated, "north", "acme"}}, got)
	require.ElementsMatch(t, []sent{firingLi, firingWang, escalatedLi, escalatedWang}, muted)

	// 6 March: escalation is once per episode.
	got, _, _ = evaluate("2026-03-06")
	require.Empty(t, got)

	// By 9 March (6 working days: north expects 120, each rep 60) li made
	// 120 calls: north is on pace and li ahead, wang still has none.
	f.ingest(t, call("li-0309", "li", "2026-03-09", 120))
	got, muted, _ = evaluate("2026-03-09")
	require.ElementsMatch(t, []sent{
		{alert.NotifyResolved, "north", "north"},
		// wang's firing and escalation were muted, not lost; li resolves
		// quietly, his firing was never notified.
		firingWang, escalatedWang,
	}, got)
	require.Empty(t, muted)

	var escalations int
	for _, n := range rec.Notifications() {
		if n.Kind == alert.NotifyEscalated && n.Unit == "north" {
			escalations++
			require.Equal(t, "acme", n.Recipient)
		}
		if n.Kind == alert.NotifyFiring && n.Unit == "wang" {
			require.Equal(t, mutedKey["wang"], n.Key, "a muted notification is sent later with the same key")
		}
	}
	require.Equal(t, 1, escalations)
	require.Zero(t, rec.Duplicates())
}

// TestSilenceMutesThroughTheEngine silences li for the first days of March:
// his alert fires meanwhile, and its firing is notified, with the same key,
// by the first evaluation after the silence ends.
func TestSilenceMutesThroughTheEngine(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "li-calls", "li", 220)
	silence := alert.Silence{
		ID: "li-on-leave", Matchers: alert.Labels{alert.LabelUnit: "li"},
		Start: day("2026-03-01").MidnightUTC(), End: day("2026-03-06").MidnightUTC(),
	}

	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-04"), silence)
	require.NoError(t, err)
	require.Empty(t, ev.Notifications)
	require.Len(t, ev.Muted, 1)
	require.Equal(t, "li-on-leave", ev.Muted[0].SilencedBy)
	require.Equal(t, alert.StateFiring, ev.States[0].State, "a silence mutes notifications, never state")
	require.Empty(t, undelivered(t, f))

	ev2, err := f.engine.Evaluate(f.ctx, day("2026-03-06"), silence)
	require.NoError(t, err)
	require.Len(t, ev2.Notifications, 1)
	require.Equal(t, ev.Muted[0].Notification.Key, ev2.Notifications[0].Key)
	require.Equal(t, []string{ev2.Notifications[0].Key}, storedKeys(undelivered(t, f)))
}

// TestStagnationThroughTheEngine watches the crm funnel: an opportunity
// typically takes 20 days, so one sitting there for 59 days (more than twice
// that) raises a stagnation alert for its rep; winning it resolves the alert.
func TestStagnationThroughTheEngine(t *testing.T) {
	crm := funnel.Funnel{Key: "crm", Stages: []funnel.Stage{{Key: "lead"}, {Key: "opportunity"}}, Won: "won", Lost: "lost"}
	model := funnel.Model{
		Funnel: crm,
		Stages: []funnel.StageModel{
			{Advance: dec("0.3"), Win: dec("0.12"), Days: 10},
			{Advance: dec("0.4"), Win: dec("0.4"), Days: 20},
		},
		AvgWonValue: dec("20000"), Currency: "CNY",
	}
	rec := &alert.Recorder{}
	f := newFixture(t, nil, func(c *goalkit.Config) {
		c.Notifier = rec
		c.Funnels = []funnel.Funnel{crm}
		c.Rules.Stagnation = []goalkit.StagnationWatch{{Model: model}}
	})
	deal := func(id, unit string, steps ...string) funnel.Deal {
		d := funnel.Deal{ID: id, Funnel: "crm", Unit: unit, Value: dec("20000"), Currency: "CNY"}
		for i := 0; i < len(steps); i += 2 {
			d.Transitions = append(d.Transitions, funnel.Transition{Stage: steps[i], Date: day(steps[i+1])})
		}
		return d
	}
	for _, d := range []funnel.Deal{
		deal("stuck", "li", "lead", "2025-12-20", "opportunity", "2026-01-02"),
		deal("fresh", "wang", "lead", "2026-02-01", "opportunity", "2026-02-20"),
		deal("old-won", "zhao", "lead", "2025-10-01", "opportunity", "2025-10-05", "won", "2025-11-01"),
	} {
		require.NoError(t, f.engine.PutDeal(f.ctx, d))
	}

	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-02"))
	require.NoError(t, err)
	require.Zero(t, ev.Goals)
	require.Len(t, ev.Notifications, 1)
	n := ev.Notifications[0]
	require.Equal(t, alert.RuleStagnation, n.Rule)
	require.Equal(t, alert.NotifyFiring, n.Kind)
	require.Equal(t, "li", n.Unit)
	require.Equal(t, "opportunity", n.Labels[alert.LabelStage])
	requireDec(t, "1", n.Value)
	require.Contains(t, n.Message, "stuck")
	sent, err := f.engine.Deliver(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, sent)

	// li wins the deal: the alert resolves.
	require.NoError(t, f.engine.PutDeal(f.ctx, deal("stuck", "li", "lead", "2025-12-20", "opportunity", "2026-01-02", "won", "2026-03-03")))
	ev, err = f.engine.Evaluate(f.ctx, day("2026-03-03"))
	require.NoError(t, err)
	require.Len(t, ev.Notifications, 1)
	require.Equal(t, alert.NotifyResolved, ev.Notifications[0].Kind)
	require.Equal(t, n.Fingerprint, ev.Notifications[0].Fingerprint)
}

// TestEvaluateReadsOnlyFactsThroughAsOf evaluates a past date after later
// facts arrived: they do not count.
func TestEvaluateReadsOnlyFactsThroughAsOf(t *testing.T) {
	f := newFixture(t, nil, func(c *goalkit.Config) { c.Rules.Pace = callsPace })
	f.callsPlan(t, "li-calls", "li", 220)
	f.ingest(t, call("late", "li", "2026-03-06", 100))
	ev, err := f.engine.Evaluate(f.ctx, day("2026-03-05"))
	require.NoError(t, err)
	require.Len(t, ev.States, 1)
	require.Equal(t, alert.StateFiring, ev.States[0].State)
	requireDec(t, "0", ev.States[0].Value)
}
