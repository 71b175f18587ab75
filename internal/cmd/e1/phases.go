package main

import (
	"context"
	"errors"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
)

// The phases of an Evaluate the command times from outside the engine: the
// store calls of each kind, and the engine's own work (statuses, rules,
// lifecycle, encoding) as what is left of the wall time. go run with -trace
// records runtime/trace regions that split the engine's work further (see
// go tool trace).
const (
	phasePlans   = "store: loading plans"
	phaseActuals = "store: reading actuals (SumMany)"
	phaseAlerts  = "store: reading alert states"
	phasePersist = "store: persisting states + outbox"
	phaseDeals   = "store: reading deals"
	phaseEngine  = "engine: statuses, rules, lifecycle"
)

var phaseOrder = []string{phasePlans, phaseActuals, phaseAlerts, phasePersist, phaseDeals, phaseEngine}

// phases sums the wall time of store calls by phase; not safe for
// concurrent use (Evaluate calls its transaction from one goroutine).
type phases map[string]time.Duration

func (p phases) time(phase string, t0 time.Time) { p[phase] += time.Since(t0) }

// timedStore is a store whose transactions never commit (see rollback) when
// dry, and whose transactions time their calls into phases.
type timedStore struct {
	storage.Store
	dry    bool
	phases phases
}

func (s *timedStore) InTx(ctx context.Context, fn func(tx storage.Tx) error) error {
	return s.Store.InTx(ctx, func(tx storage.Tx) error {
		if err := fn(timedTx{tx, s.phases}); err != nil {
			return err
		}
		if s.dry {
			return errRollback
		}
		return nil
	})
}

// timedTx times the calls Evaluate makes.
type timedTx struct {
	storage.Tx
	p phases
}

func (t timedTx) ListPlans(ctx context.Context) ([]storage.PlanSummary, error) {
	defer t.p.time(phasePlans, time.Now())
	return t.Tx.ListPlans(ctx)
}

func (t timedTx) GetPlan(ctx context.Context, id string) (*goal.Plan, error) {
	defer t.p.time(phasePlans, time.Now())
	return t.Tx.GetPlan(ctx, id)
}

func (t timedTx) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	defer t.p.time(phaseActuals, time.Now())
	return t.Tx.SumMany(ctx, qs)
}

func (t timedTx) PruneAlerts(ctx context.Context, cutoff time.Time) (int, error) {
	defer t.p.time(phaseAlerts, time.Now())
	return t.Tx.PruneAlerts(ctx, cutoff)
}

func (t timedTx) ListLiveAlerts(ctx context.Context, k storage.AlertKind) ([]storage.AlertState, error) {
	defer t.p.time(phaseAlerts, time.Now())
	return t.Tx.ListLiveAlerts(ctx, k)
}

func (t timedTx) GetAlert(ctx context.Context, fingerprint string) (storage.AlertState, error) {
	defer t.p.time(phasePersist, time.Now())
	return t.Tx.GetAlert(ctx, fingerprint)
}

func (t timedTx) PutAlert(ctx context.Context, s storage.AlertState, expected int64) (int64, error) {
	defer t.p.time(phasePersist, time.Now())
	return t.Tx.PutAlert(ctx, s, expected)
}

func (t timedTx) Enqueue(ctx context.Context, n storage.Notification) error {
	defer t.p.time(phasePersist, time.Now())
	return t.Tx.Enqueue(ctx, n)
}

func (t timedTx) ListDeals(ctx context.Context, f storage.DealFilter) ([]funnel.Deal, error) {
	defer t.p.time(phaseDeals, time.Now())
	return t.Tx.ListDeals(ctx, f)
}

// batch returns the transaction's storage.AlertBatch; every store of this
// module has one.
func (t timedTx) batch() (storage.AlertBatch, error) {
	b, ok := t.Tx.(storage.AlertBatch)
	if !ok {
		return nil, errors.New("e1: the store's transaction is not a storage.AlertBatch")
	}
	return b, nil
}

func (t timedTx) AlertVersions(ctx context.Context, fingerprints []string) (map[string]int64, error) {
	defer t.p.time(phasePersist, time.Now())
	b, err := t.batch()
	if err != nil {
		return nil, err
	}
	return b.AlertVersions(ctx, fingerprints)
}

func (t timedTx) PutAlerts(ctx context.Context, puts []storage.AlertPut) error {
	defer t.p.time(phasePersist, time.Now())
	b, err := t.batch()
	if err != nil {
		return err
	}
	return b.PutAlerts(ctx, puts)
}

func (t timedTx) EnqueueAll(ctx context.Context, ns []storage.Notification) error {
	defer t.p.time(phasePersist, time.Now())
	b, err := t.batch()
	if err != nil {
		return err
	}
	return b.EnqueueAll(ctx, ns)
}
