package storagetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var errBoom = errors.New("boom")

// writeEverything writes one record of every kind through tx.
func writeEverything(ctx context.Context, tx storage.Tx) error {
	if err := tx.PutUnits(ctx, org()); err != nil {
		return err
	}
	if _, err := tx.CreatePlan(ctx, plan("fy26"), []storage.AuditEntry{{Goal: "revenue/co/2026", Actor: "ann", At: at("2026-01-01T00:00:00Z")}}); err != nil {
		return err
	}
	if _, err := tx.AppendFacts(ctx, []kpi.Fact{fact("k1", "revenue", "a", "2026-03-01", "5")}); err != nil {
		return err
	}
	if err := tx.PutDeal(ctx, deal("D1", "b2b", "a", "lead")); err != nil {
		return err
	}
	if _, err := tx.PutAlert(ctx, alertState("fp"), 0); err != nil {
		return err
	}
	return tx.Enqueue(ctx, note("n1", "2026-03-01T00:00:00Z"))
}

// requireNothing checks that s shows none of what writeEverything wrote.
func requireNothing(t *testing.T, s storage.Tx) {
	t.Helper()
	ctx := context.Background()
	units, err := s.ListUnits(ctx)
	require.NoError(t, err)
	require.Empty(t, units)
	_, err = s.GetPlan(ctx, "fy26")
	require.ErrorIs(t, err, storage.ErrNotFound)
	plans, err := s.ListPlans(ctx)
	require.NoError(t, err)
	require.Empty(t, plans)
	audit, err := s.ListAudit(ctx, "fy26")
	require.NoError(t, err)
	require.Empty(t, audit)
	_, err = s.GetFact(ctx, "k1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	requireTotal(t, "0", "0", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")))
	requireTotal(t, "0", "0", sum(t, s, q("revenue", "a", true, "2026-01-01", "2027-01-01")))
	_, err = s.GetDeal(ctx, "D1")
	require.ErrorIs(t, err, storage.ErrNotFound)
	deals, err := s.ListDeals(ctx, storage.DealFilter{})
	require.NoError(t, err)
	require.Empty(t, deals)
	_, err = s.GetAlert(ctx, "fp")
	require.ErrorIs(t, err, storage.ErrNotFound)
	alerts, err := s.ListAlerts(ctx)
	require.NoError(t, err)
	require.Empty(t, alerts)
	notes, err := s.ListUndelivered(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, notes)
	require.ErrorIs(t, s.MarkDelivered(ctx, "n1", at("2026-03-01T00:00:00Z")), storage.ErrNotFound)
}

var txTests = []test{
	{name: "Tx/CommitMakesAllVisible", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		require.NoError(t, s.InTx(ctx, func(tx storage.Tx) error {
			if err := writeEverything(ctx, tx); err != nil {
				return err
			}
			requireTotal(t, "5", "1", sum(t, tx, q("revenue", "co", true, "2026-01-01", "2027-01-01")), "a transaction reads its own writes")
			return nil
		}))
		requireTotal(t, "5", "1", sum(t, s, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
		audit, err := s.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Len(t, audit, 1)
		notes, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, notes, 1)
	}},
	{name: "Tx/ErrorRollsBackEverything", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		err := s.InTx(ctx, func(tx storage.Tx) error {
			if err := writeEverything(ctx, tx); err != nil {
				return err
			}
			return errBoom
		})
		require.ErrorIs(t, err, errBoom, "InTx returns fn's error")
		requireNothing(t, s)
	}},
	{name: "Tx/FailedOperationRollsBack", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		err := s.InTx(ctx, func(tx storage.Tx) error {
			if err := writeEverything(ctx, tx); err != nil {
				return err
			}
			_, err := tx.CreatePlan(ctx, plan("fy26"), nil) // a storage error mid-transaction
			return err
		})
		require.ErrorIs(t, err, storage.ErrDuplicate)
		requireNothing(t, s)
	}},
	{name: "Tx/FailedOperationIsAtomicInsideTx", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		append1(t, s, fact("k1", "revenue", "a", "2026-03-01", "1"))
		require.NoError(t, s.InTx(ctx, func(tx storage.Tx) error {
			_, err := tx.AppendFacts(ctx, []kpi.Fact{fact("k2", "revenue", "a", "2026-03-01", "2"), fact("k1", "revenue", "a", "2026-03-01", "9")})
			require.ErrorIs(t, err, storage.ErrConflict)
			_, err = tx.AppendFacts(ctx, []kpi.Fact{fact("k3", "revenue", "a", "2026-03-01", "4")})
			return err // the host goes on after the failed batch and commits
		}))
		_, err := s.GetFact(ctx, "k2")
		require.ErrorIs(t, err, storage.ErrNotFound, "nothing of the rejected batch was kept")
		requireTotal(t, "5", "2", sum(t, s, q("revenue", "a", false, "2026-01-01", "2027-01-01")))
	}},
	{name: "Tx/FaultedOperationIsAtomicInsideTx", need: faults, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		faulty := fault.With(ctx, failAt(fault.PlanWritten, nil))
		require.NoError(t, s.InTx(faulty, func(tx storage.Tx) error {
			_, err := tx.CreatePlan(faulty, plan("fy26"), []storage.AuditEntry{{Goal: "g", Actor: "ann"}})
			require.ErrorIs(t, err, errBoom)
			return tx.PutDeal(ctx, deal("D1", "b2b", "a"))
		}))
		good := open("acme")
		_, err := good.GetPlan(ctx, "fy26")
		require.ErrorIs(t, err, storage.ErrNotFound, "the plan written before the fault was not kept")
		_, err = good.GetDeal(ctx, "D1")
		require.NoError(t, err)
	}},
	{name: "Tx/UpdateRollsBackToOldVersion", run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.CreatePlan(ctx, plan("fy26"), nil)
		require.NoError(t, err)
		err = s.InTx(ctx, func(tx storage.Tx) error {
			p := plan("fy26")
			p.Goals = p.Goals[:1]
			if _, err := tx.UpdatePlan(ctx, p, 1, []storage.AuditEntry{{Goal: "x", Actor: "ann"}}); err != nil {
				return err
			}
			return errBoom
		})
		require.ErrorIs(t, err, errBoom)
		got, err := s.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, got)
		audit, err := s.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, audit)
	}},
	{name: "Tx/FaultMidPlanWrite", need: faults, run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		good := open("acme")
		_, err := good.CreatePlan(ctx, plan("old"), nil)
		require.NoError(t, err)
		var calls int
		s := open("acme")
		faulty := fault.With(ctx, failAt(fault.PlanWritten, &calls))
		_, err = s.CreatePlan(faulty, plan("fy26"), []storage.AuditEntry{{Goal: "g", Actor: "ann"}})
		require.ErrorIs(t, err, errBoom)
		p := plan("old")
		p.Goals = p.Goals[:1]
		_, err = s.UpdatePlan(faulty, p, 1, []storage.AuditEntry{{Goal: "g", Actor: "ann"}})
		require.ErrorIs(t, err, errBoom)
		require.Equal(t, 2, calls, "the store reached the fault point in both writes")
		_, err = good.GetPlan(ctx, "fy26")
		require.ErrorIs(t, err, storage.ErrNotFound, "nothing of the failed create is visible")
		audit, err := good.ListAudit(ctx, "fy26")
		require.NoError(t, err)
		require.Empty(t, audit)
		got, err := good.GetPlan(ctx, "old")
		require.NoError(t, err)
		requirePlan(t, plan("old"), 1, got)
		audit, err = good.ListAudit(ctx, "old")
		require.NoError(t, err)
		require.Empty(t, audit)
	}},
	{name: "Tx/FaultMidFactWrite", need: faults, run: func(t *testing.T, open Opener) {
		ctx, s := context.Background(), open("acme")
		_, err := s.AppendFacts(fault.With(ctx, failAt(fault.FactsWritten, nil)), []kpi.Fact{fact("k1", "revenue", "a", "2026-03-01", "5")})
		require.ErrorIs(t, err, errBoom)
		good := open("acme")
		_, err = good.GetFact(ctx, "k1")
		require.ErrorIs(t, err, storage.ErrNotFound)
		requireTotal(t, "0", "0", sum(t, good, q("revenue", "a", false, "2026-01-01", "2027-01-01")))
		require.Equal(t, []storage.Outcome{storage.Inserted}, append1(t, good, fact("k1", "revenue", "a", "2026-03-01", "5")))
	}},
}

var tenancyTests = []test{
	{name: "Tenancy/Isolation", run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		a, b := open("acme"), open("globex")
		require.Equal(t, "acme", a.Tenant())
		require.Equal(t, "globex", b.Tenant())
		require.NoError(t, a.InTx(ctx, func(tx storage.Tx) error { return writeEverything(ctx, tx) }))
		requireNothing(t, b)
		_, err := b.UpdatePlan(ctx, plan("fy26"), 1, nil)
		require.ErrorIs(t, err, storage.ErrNotFound, "another tenant's plan cannot be updated")
		require.ErrorIs(t, b.RetractFact(ctx, "k1"), storage.ErrNotFound, "nor its facts retracted")
		_, err = b.PutAlert(ctx, alertState("fp"), 1)
		require.ErrorIs(t, err, storage.ErrConflict, "nor its alert states overwritten")
		// The same IDs in b are b's own.
		require.NoError(t, b.InTx(ctx, func(tx storage.Tx) error { return writeEverything(ctx, tx) }))
		require.Equal(t, []storage.Outcome{storage.Inserted}, append1(t, b, fact("k2", "revenue", "a", "2026-03-01", "7")))
		require.NoError(t, b.RetractFact(ctx, "k1"))
		p, err := b.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		p.Goals = p.Goals[:1]
		_, err = b.UpdatePlan(ctx, p, 1, nil)
		require.NoError(t, err)
		require.NoError(t, b.MarkDelivered(ctx, "n1", at("2026-03-02T00:00:00Z")))
		require.NoError(t, b.PutUnits(ctx, nil))
		// a is untouched.
		requireTotal(t, "5", "1", sum(t, a, q("revenue", "co", true, "2026-01-01", "2027-01-01")))
		requireTotal(t, "7", "1", sum(t, b, q("revenue", "a", true, "2026-01-01", "2027-01-01")))
		got, err := a.GetPlan(ctx, "fy26")
		require.NoError(t, err)
		requirePlan(t, plan("fy26"), 1, got)
		notes, err := a.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, notes, 1)
		units, err := a.ListUnits(ctx)
		require.NoError(t, err)
		require.Len(t, units, len(org()))
	}},
}

var cancelTests = []test{
	{name: "Cancel/EveryOperation", run: func(t *testing.T, open Opener) {
		s := open("acme")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		ops := map[string]func() error{
			"PutUnits":  func() error { return s.PutUnits(ctx, org()) },
			"ListUnits": func() error { _, err := s.ListUnits(ctx); return err },
			"CreatePlan": func() error {
				_, err := s.CreatePlan(ctx, plan("p"), nil)
				return err
			},
			"GetPlan":    func() error { _, err := s.GetPlan(ctx, "p"); return err },
			"UpdatePlan": func() error { _, err := s.UpdatePlan(ctx, plan("p"), 1, nil); return err },
			"ListPlans":  func() error { _, err := s.ListPlans(ctx); return err },
			"ListAudit":  func() error { _, err := s.ListAudit(ctx, "p"); return err },
			"AppendFacts": func() error {
				_, err := s.AppendFacts(ctx, []kpi.Fact{fact("k", "m", "u", "2026-01-01", "1")})
				return err
			},
			"GetFact":         func() error { _, err := s.GetFact(ctx, "k"); return err },
			"RetractFact":     func() error { return s.RetractFact(ctx, "k") },
			"ReplaceFact":     func() error { return s.ReplaceFact(ctx, fact("k", "m", "u", "2026-01-01", "1")) },
			"ListFacts":       func() error { _, err := s.ListFacts(ctx, "", 0); return err },
			"Sum":             func() error { _, err := s.Sum(ctx, q("m", "u", true, "2026-01-01", "2027-01-01")); return err },
			"SumMany":         func() error { _, err := s.SumMany(ctx, queries()); return err },
			"PutDeal":         func() error { return s.PutDeal(ctx, deal("D", "f", "u")) },
			"PutDeals":        func() error { return s.PutDeals(ctx, []funnel.Deal{deal("D", "f", "u")}) },
			"GetDeal":         func() error { _, err := s.GetDeal(ctx, "D"); return err },
			"ListDeals":       func() error { _, err := s.ListDeals(ctx, storage.DealFilter{}); return err },
			"GetAlert":        func() error { _, err := s.GetAlert(ctx, "fp"); return err },
			"PutAlert":        func() error { _, err := s.PutAlert(ctx, alertState("fp"), 0); return err },
			"ListAlerts":      func() error { _, err := s.ListAlerts(ctx); return err },
			"ListLiveAlerts":  func() error { _, err := s.ListLiveAlerts(ctx, storage.AlertInstance); return err },
			"PruneAlerts":     func() error { _, err := s.PruneAlerts(ctx, at("2026-01-01T00:00:00Z")); return err },
			"Enqueue":         func() error { return s.Enqueue(ctx, note("n", "2026-01-01T00:00:00Z")) },
			"ListUndelivered": func() error { _, err := s.ListUndelivered(ctx, 0); return err },
			"MarkDelivered":   func() error { return s.MarkDelivered(ctx, "n", at("2026-01-01T00:00:00Z")) },
			"InTx":            func() error { return s.InTx(ctx, func(storage.Tx) error { return nil }) },
			"PutPlanVersion":  func() error { return s.PutPlanVersion(ctx, storage.PlanVersion{}, planAt("p", 1)) },
			"GetPlanVersion":  func() error { _, _, err := s.GetPlanVersion(ctx, "p", 1); return err },
			"ListPlanVersions": func() error {
				_, err := s.ListPlanVersions(ctx, "p")
				return err
			},
			"PrunePlanVersions": func() error {
				_, err := s.PrunePlanVersions(ctx, "p", at("2026-01-01T00:00:00Z"))
				return err
			},
			"PutSnapshot":   func() error { return s.PutSnapshot(ctx, storage.Snapshot{Plan: "p", Name: "s", Version: 1}) },
			"ListSnapshots": func() error { _, err := s.ListSnapshots(ctx, "p"); return err },
			"PutScenario": func() error {
				_, err := s.PutScenario(ctx, storage.Scenario{Name: "s", Plan: planAt("p", 1), Base: 1}, 0)
				return err
			},
			"GetScenario":    func() error { _, err := s.GetScenario(ctx, "p", "s"); return err },
			"ListScenarios":  func() error { _, err := s.ListScenarios(ctx, "p"); return err },
			"DeleteScenario": func() error { return s.DeleteScenario(ctx, "p", "s") },
		}
		for name, op := range ops {
			require.ErrorIs(t, op(), context.Canceled, name)
		}
		requireNothing(t, s)
	}},
	{name: "Cancel/DuringTransactionRollsBack", run: func(t *testing.T, open Opener) {
		s := open("acme")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		err := s.InTx(ctx, func(tx storage.Tx) error {
			if err := writeEverything(ctx, tx); err != nil {
				return err
			}
			cancel()
			return nil
		})
		require.ErrorIs(t, err, context.Canceled)
		requireNothing(t, s)
	}},
}

var concurrencyTests = []test{
	{name: "Concurrent/PlanEditsNoLostUpdate", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		s := open("acme")
		p := &goal.Plan{ID: "p", Metric: revenue, Goals: []goal.Goal{{ID: "g", Metric: "revenue", Unit: "co", Target: dec("0")}}}
		_, err := s.CreatePlan(ctx, p, nil)
		require.NoError(t, err)
		const workers, edits = 4, 8
		var conflicts sync.Map
		runWorkers(t, workers, func(w int) error {
			for i := 0; i < edits; i++ {
				for attempt := 0; ; attempt++ {
					if attempt > 1000 {
						return fmt.Errorf("worker %d: no progress", w)
					}
					cur, err := s.GetPlan(ctx, "p")
					if err != nil {
						return err
					}
					old := cur.Goals[0].Target
					cur.Goals[0].Target = old.Add(dec("0.01"))
					_, err = s.UpdatePlan(ctx, cur, cur.Version, []storage.AuditEntry{{Goal: "g", Actor: fmt.Sprint(w),
						Old: decimal.NewNullDecimal(old), New: decimal.NewNullDecimal(cur.Goals[0].Target)}})
					if errors.Is(err, storage.ErrConflict) {
						conflicts.Store(w, true)
						continue
					}
					if err != nil {
						return err
					}
					break
				}
			}
			return nil
		})
		got, err := s.GetPlan(ctx, "p")
		require.NoError(t, err)
		requireDec(t, "0.32", got.Goals[0].Target, "every edit counted once")
		require.Equal(t, int64(workers*edits+1), got.Version)
		audit, err := s.ListAudit(ctx, "p")
		require.NoError(t, err)
		require.Len(t, audit, workers*edits, "one audit entry per successful edit")
		for i, e := range audit {
			requireNull(t, decimal.NewNullDecimal(decimal.New(int64(i), -2)), e.Old, "audit chain")
		}
	}},
	{name: "Concurrent/IngestNoLostFact", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		s := open("acme")
		require.NoError(t, s.PutUnits(ctx, org()))
		const workers, batches, size = 4, 6, 25
		runWorkers(t, workers, func(w int) error {
			for b := 0; b < batches; b++ {
				facts := make([]kpi.Fact, 0, size)
				for i := 0; i < size; i++ {
					// Half the keys are shared by every worker: each must count once.
					key := fmt.Sprintf("w%d-%d-%d", w, b, i)
					if i%2 == 0 {
						key = fmt.Sprintf("shared-%d-%d", b, i)
					}
					facts = append(facts, fact(key, "revenue", []string{"a", "b", "c", "d"}[i%4], "2026-03-01", "0.01"))
				}
				if _, err := s.AppendFacts(ctx, facts); err != nil {
					return err
				}
			}
			return nil
		})
		shared := batches * (size + 1) / 2
		own := workers * batches * (size / 2)
		n := int64(shared + own)
		requireTotal(t, decimal.New(n, -2).String(), fmt.Sprint(n), sum(t, s, q("revenue", "co", true, "2026-03-01", "2026-03-02")))
	}},
	{name: "Concurrent/AlertWritersNoLostUpdate", need: concurrent, run: func(t *testing.T, open Opener) {
		ctx := context.Background()
		s := open("acme")
		const workers, edits = 4, 6
		runWorkers(t, workers, func(w int) error {
			for i := 0; i < edits; i++ {
				for {
					cur, err := s.GetAlert(ctx, "fp")
					if err != nil && !errors.Is(err, storage.ErrNotFound) {
						return err
					}
					n := len(cur.Detector)
					cur.Fingerprint = "fp"
					cur.Detector = append(cur.Detector, byte(w))
					cur.LastEval = time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC)
					err = s.InTx(ctx, func(tx storage.Tx) error {
						if _, err := tx.PutAlert(ctx, cur, cur.Version); err != nil {
							return err
						}
						return tx.Enqueue(ctx, storage.Notification{Key: fmt.Sprintf("n%d", n), Fingerprint: "fp", CreatedAt: cur.LastEval})
					})
					if errors.Is(err, storage.ErrConflict) {
						continue
					}
					if err != nil {
						return err
					}
					break
				}
			}
			return nil
		})
		got, err := s.GetAlert(ctx, "fp")
		require.NoError(t, err)
		require.Len(t, got.Detector, workers*edits)
		require.Equal(t, int64(workers*edits), got.Version)
		notes, err := s.ListUndelivered(ctx, 0)
		require.NoError(t, err)
		require.Len(t, notes, workers*edits, "one notification per state change, none from a lost transaction")
	}},
}

// runWorkers runs n workers concurrently and fails t with the first error.
func runWorkers(t *testing.T, n int, work func(w int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- work(w)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// failAt returns a fault hook that fails with errBoom at point, counting the
// failures in calls when it is not nil.
func failAt(point string, calls *int) fault.Func {
	return func(at string) error {
		if at != point {
			return nil
		}
		if calls != nil {
			*calls++
		}
		return errBoom
	}
}
