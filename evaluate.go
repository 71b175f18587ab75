package goalkit

import (
	"context"
	"errors"
	"fmt"
	"runtime/trace"
	"time"

	"github.com/goalkit/goalkit/alert"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// Evaluation is what one Evaluate did.
type Evaluation struct {
	AsOf date.Date
	// Goals is the number of open goals evaluated.
	Goals int
	// States are the alert instances after the evaluation: pending, firing
	// or resolved (see alert.Result).
	States []alert.Instance
	// StateChanges are the state changes of this evaluation.
	StateChanges []alert.StateChange
	// Notifications were written to the outbox (inside Digests when
	// Config.Grouping is set); Deliver sends them.
	Notifications []alert.Notification
	// Muted were due but silenced or inhibited.
	Muted []alert.Muted
	// Digests are Notifications grouped per recipient, with the covered
	// and still-firing alerts, when Config.Grouping is set: then the
	// outbox holds the digests, not the notifications one by one.
	Digests []alert.Digest
}

// Evaluate runs the alert rules over every open goal of every stored plan
// (goals whose period holds asOf), with facts dated through asOf, steps the
// alert lifecycle at asOf's midnight in the engine's location, and writes the
// new alert states and the notifications they raise in one transaction (the
// outbox), so a crash never loses a notification and never writes one
// without its state. Silences mute matching notifications. Concurrent
// evaluations of the same tenant run one after the other on this module's
// stores (each sees the states the previous one wrote); on a store that
// does not serialise a tenant's writes, the later one fails with
// storage.ErrConflict and may be retried.
func (e *Engine) Evaluate(ctx context.Context, asOf date.Date, silences ...alert.Silence) (Evaluation, error) {
	at := asOf.MidnightIn(e.loc)
	ev := Evaluation{AsOf: asOf}
	ctx, task := trace.NewTask(ctx, "goalkit.Evaluate")
	defer task.End()
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		life := e.life
		life.Org = org
		lc, err := alert.NewLifecycle(&life)
		if err != nil {
			return err
		}
		stored, previous, versions, err := e.liveAlerts(ctx, tx, at)
		if err != nil {
			return err
		}
		samples, n, err := e.samples(ctx, tx, org, asOf, previous)
		if err != nil {
			return err
		}
		ev.Goals = n
		if samples, err = e.conversionSamples(ctx, tx, org, samples, asOf); err != nil {
			return err
		}
		r := trace.StartRegion(ctx, regionLifecycle)
		res, err := lc.Evaluate(at, previous, samples, silences)
		r.End()
		if err != nil {
			return err
		}
		defer trace.StartRegion(ctx, regionPersist).End()
		if err := e.saveStates(ctx, tx, at, res.States, stored, versions); err != nil {
			return err
		}
		if ev.Digests, err = e.enqueue(ctx, tx, at, res); err != nil {
			return err
		}
		ev.States, ev.StateChanges, ev.Notifications, ev.Muted = res.States, res.StateChanges, res.Notifications, res.Muted
		return nil
	})
	if err != nil {
		return Evaluation{AsOf: asOf}, fmt.Errorf("goalkit: evaluate as of %s: %w", asOf, err)
	}
	e.log.Debug("goalkit: evaluated", "asOf", asOf.String(), "goals", ev.Goals, "alerts", len(ev.States), "notifications", len(ev.Notifications))
	return ev, nil
}

// samples runs the rules over every open goal of every stored plan, and
// closes the live alerts of goals whose period has ended (see ended). Goal
// samples the lifecycle will not read keep an empty message (see word).
func (e *Engine) samples(ctx context.Context, tx storage.Tx, org *goal.Org, asOf date.Date, previous []alert.Instance) ([]alert.Sample, int, error) {
	r := trace.StartRegion(ctx, regionPlans)
	plans, err := tx.ListPlans(ctx)
	r.End()
	if err != nil {
		return nil, 0, err
	}
	var (
		out   []alert.Sample
		later []unworded
		n     int
	)
	for _, ps := range plans {
		r := trace.StartRegion(ctx, regionPlans)
		p, err := e.planIn(ctx, tx, ps)
		r.End()
		if err != nil {
			return nil, 0, err
		}
		var (
			open []goal.Goal
			at   []int
		)
		for i, g := range p.Goals {
			if g.Period.Contains(asOf) {
				open, at = append(open, g), append(at, i)
			}
		}
		statuses, err := e.statuses(ctx, tx, p, open, at, asOf)
		if err != nil {
			return nil, 0, fmt.Errorf("plan %q: %w", p.ID, err)
		}
		if out, err = e.ended(ctx, tx, out, p, previous, asOf); err != nil {
			return nil, 0, fmt.Errorf("plan %q: %w", p.ID, err)
		}
		n += len(statuses)
		r = trace.StartRegion(ctx, regionRules)
		out, later, err = e.goalRules.goalSamples(out, later, p.ID, statuses, org)
		r.End()
		if err != nil {
			return nil, 0, fmt.Errorf("plan %q: %w", p.ID, err)
		}
	}
	defer trace.StartRegion(ctx, regionRules).End()
	word(out, later, previous)
	out, err = e.rules.dealSamples(ctx, tx, out, asOf)
	return out, n, err
}

// ended appends a clearing sample for every live goal alert of plan p whose
// goal's period ended by asOf, with the goal's final figures, so the alert
// resolves saying how the period closed (met, or missed by how much; see
// outcome), not repeating its last "behind pace".
func (e *Engine) ended(ctx context.Context, tx storage.Tx, out []alert.Sample, p *goal.Plan, previous []alert.Instance, asOf date.Date) ([]alert.Sample, error) {
	live := map[string][]alert.Instance{} // unit + period label -> its alerts
	for _, in := range previous {
		if in.Labels[LabelPlan] == p.ID && in.State != alert.StateResolved {
			k := in.Unit + " " + in.Labels[alert.LabelPeriod]
			live[k] = append(live[k], in)
		}
	}
	if len(live) == 0 {
		return out, nil
	}
	var (
		goals  []goal.Goal
		at     []int
		alerts [][]alert.Instance
	)
	for i, g := range p.Goals {
		if g.Period.End > asOf {
			continue // still open: no label to build
		}
		if ins, ok := live[g.Unit+" "+alert.PeriodLabel(g.Period)]; ok {
			goals, at, alerts = append(goals, g), append(at, i), append(alerts, ins)
		}
	}
	if len(goals) == 0 {
		return out, nil
	}
	final, err := e.statuses(ctx, tx, p, goals, at, asOf)
	if err != nil {
		return nil, err
	}
	for i, s := range final {
		msg := e.outcome(s)
		for _, in := range alerts[i] {
			out = append(out, alert.Sample{Rule: in.Rule, Unit: s.Unit, Metric: s.Metric, Period: s.Period,
				Extra: alert.Labels{LabelPlan: p.ID}, Value: s.Actual, Threshold: s.Target, Message: msg})
		}
	}
	return out, nil
}

// liveAlerts prunes the alerts retired past the retention, then reads only
// what is live, so the cost follows the live alerts, not every alert ever
// raised: the stored rows, their decoded instances and their versions.
func (e *Engine) liveAlerts(ctx context.Context, tx storage.Tx, at time.Time) ([]storage.AlertState, []alert.Instance, map[string]int64, error) {
	defer trace.StartRegion(ctx, regionAlerts).End()
	if _, err := tx.PruneAlerts(ctx, at.Add(-e.keep)); err != nil {
		return nil, nil, nil, err
	}
	stored, err := tx.ListLiveAlerts(ctx, storage.AlertInstance)
	if err != nil {
		return nil, nil, nil, err
	}
	previous, versions, err := instances(stored)
	return stored, previous, versions, err
}

// inactive is the State of a retired alert instance: one the lifecycle
// dropped. Its row stays, retired, until Config.AlertRetention is over, so
// that its version keeps counting if it comes back before.
const inactive = "inactive"

// instances decodes the live alert instances and returns them with the
// stored version of each.
func instances(stored []storage.AlertState) ([]alert.Instance, map[string]int64, error) {
	versions := make(map[string]int64, len(stored))
	out := make([]alert.Instance, 0, len(stored))
	for _, s := range stored {
		in, err := decodeInstance(s.Fingerprint, s.Detector)
		if err != nil {
			return nil, nil, err
		}
		versions[s.Fingerprint] = s.Version
		out = append(out, in)
	}
	return out, versions, nil
}

// saveStates writes the new states and retires the live ones the lifecycle
// dropped, each against the version it was read at: stored is what this
// transaction read before the lifecycle ran, versions their versions. A
// state that was not live is new, or retired and back before it was pruned:
// its row's version is read first. A transaction that is a
// storage.AlertBatch does both in a few statements.
func (e *Engine) saveStates(ctx context.Context, tx storage.Tx, at time.Time, states []alert.Instance, stored []storage.AlertState, versions map[string]int64) error {
	puts := make([]storage.AlertPut, 0, len(states))
	var unknown []int // puts whose version is to be read
	live := make(map[string]bool, len(states))
	for _, in := range states {
		live[in.Fingerprint] = true
		data, err := encodeInstance(in)
		if err != nil {
			return err
		}
		v, ok := versions[in.Fingerprint]
		if !ok {
			unknown = append(unknown, len(puts))
		}
		puts = append(puts, storage.AlertPut{Expected: v, State: storage.AlertState{
			Fingerprint: in.Fingerprint, Kind: storage.AlertInstance, Rule: in.Rule, Labels: in.Labels, State: string(in.State),
			Since: in.Since, LastEval: in.LastEval, FiredAt: in.FiredAt, ResolvedAt: in.ResolvedAt,
			LastNotified: in.LastNotified, Detector: data,
		}})
	}
	for _, s := range stored {
		if !live[s.Fingerprint] {
			s.State, s.Retired, s.Detector = inactive, at, nil
			puts = append(puts, storage.AlertPut{State: s, Expected: s.Version})
		}
	}
	if b, ok := tx.(storage.AlertBatch); ok {
		fps := make([]string, len(unknown))
		for i, k := range unknown {
			fps[i] = puts[k].State.Fingerprint
		}
		vs, err := b.AlertVersions(ctx, fps)
		if err != nil {
			return err
		}
		for _, k := range unknown {
			puts[k].Expected = vs[puts[k].State.Fingerprint]
		}
		return b.PutAlerts(ctx, puts)
	}
	for _, k := range unknown {
		old, err := tx.GetAlert(ctx, puts[k].State.Fingerprint)
		switch {
		case err == nil:
			puts[k].Expected = old.Version
		case !errors.Is(err, storage.ErrNotFound):
			return err
		}
	}
	for _, p := range puts {
		if _, err := tx.PutAlert(ctx, p.State, p.Expected); err != nil {
			return err
		}
	}
	return nil
}

// writeOutbox writes the rows to the outbox, in order, in a few
// statements on a transaction that is a storage.AlertBatch.
func writeOutbox(ctx context.Context, tx storage.Tx, out []storage.Notification) error {
	if b, ok := tx.(storage.AlertBatch); ok {
		return b.EnqueueAll(ctx, out)
	}
	for _, n := range out {
		if err := tx.Enqueue(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// Deliver sends every undelivered notification in the outbox to the
// Notifier, oldest first (those of one evaluation in the order it raised
// them: an alert's firing before its escalation), and marks each delivered
// after the Notifier accepts it. Each is worded for its recipient first
// (Summary and Language; see Messages). With Config.Grouping the outbox
// holds digests: each is worded (its alerts, then a line of counts first)
// and sent with NotifyDigest to a Notifier that is an alert.DigestNotifier,
// or as the notifications it carries (fired, cleared, reminders), one
// Notify each, to any other. It stops at the first Notifier error and
// returns how many outbox rows were delivered.
//
// Several engines (processes) may deliver from one store at once: Deliver
// claims the notifications it sends, DeliveryBatch at a time, for
// Config.DeliveryLease (storage.Outbox.ClaimUndelivered), so each is sent by
// one engine. Delivery is at least once: a crash between Notify and the
// mark sends that notification again, with the same Key, so the host can
// drop the duplicate (see alert.Recorder); the notifications a crashed or
// stalled engine had claimed are sent by another once its lease expires,
// and at once by the same engine's next Deliver. Calls on one engine run
// one at a time.
func (e *Engine) Deliver(ctx context.Context) (int, error) {
	if e.notifier == nil {
		return 0, fmt.Errorf("goalkit: deliver: no Notifier configured; set Config.Notifier: %w", ErrInvalid)
	}
	e.deliverMu.Lock()
	defer e.deliverMu.Unlock()
	sent := 0
	plans := wordedPlans{} // read to word the notifications
	for {
		batch, err := e.store.ClaimUndelivered(ctx, e.owner, e.now(), e.lease, DeliveryBatch)
		if err != nil {
			return sent, fmt.Errorf("goalkit: deliver: %w", err)
		}
		for _, sn := range batch {
			if err := e.send(ctx, sn, plans); err != nil {
				return sent, err
			}
			if err := e.store.MarkDelivered(ctx, sn.Key, e.now()); err != nil {
				return sent, fmt.Errorf("goalkit: deliver %q: mark delivered: %w", sn.Key, err)
			}
			sent++
		}
		if len(batch) < DeliveryBatch {
			return sent, nil
		}
	}
}
