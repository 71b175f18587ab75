package goalkit

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// IngestResult says what Ingest did with a batch.
type IngestResult struct {
	Inserted  int             // new facts stored and counted
	Unchanged int             // facts identical to ones stored before (counted once)
	Rejected  []kpi.Rejection // bad facts not stored (kpi.KeepGood only)
}

// Ingest validates facts against the org and the metrics (unknown unit or
// metric, too many decimal places, wrong currency, bad split credit) and
// stores them idempotently by key in one transaction. With kpi.AllOrNothing
// a batch holding any bad fact stores nothing and fails with a
// *kpi.BatchError naming every bad fact; with kpi.KeepGood the good facts
// are stored and the bad ones returned in the result. A key stored before
// with other content fails the whole batch with storage.ErrConflict in
// either mode: a correction is Replace, never a silent overwrite.
func (e *Engine) Ingest(ctx context.Context, facts []kpi.Fact, mode kpi.BatchMode) (IngestResult, error) {
	var res IngestResult
	org := e.Org()
	good := make([]kpi.Fact, 0, len(facts))
	for i, f := range facts {
		if err := e.checkFact(&f, org); err != nil {
			res.Rejected = append(res.Rejected, kpi.Rejection{Index: i, Err: err})
			continue
		}
		good = append(good, f)
	}
	if len(res.Rejected) > 0 && mode == kpi.AllOrNothing {
		return IngestResult{}, fmt.Errorf("goalkit: ingest: %w", &kpi.BatchError{Size: len(facts), Rejected: res.Rejected})
	}
	outcomes, err := e.store.AppendFacts(ctx, good)
	if err != nil {
		return IngestResult{}, fmt.Errorf("goalkit: ingest: %w", err)
	}
	for _, o := range outcomes {
		switch o {
		case storage.Inserted:
			res.Inserted++
		case storage.Unchanged:
			res.Unchanged++
		}
	}
	return res, nil
}

// Retract takes the fact with the given key out of every figure it was
// counted in (storage.ErrNotFound for a key never ingested).
func (e *Engine) Retract(ctx context.Context, key string) error {
	if err := e.store.RetractFact(ctx, key); err != nil {
		return fmt.Errorf("goalkit: retract fact %q: %w", key, err)
	}
	return nil
}

// Replace corrects the fact stored with f.Key: the old content leaves every
// figure and f counts instead, in one step. f is validated like Ingest.
func (e *Engine) Replace(ctx context.Context, f kpi.Fact) error {
	if err := e.checkFact(&f, e.Org()); err != nil {
		return fmt.Errorf("goalkit: replace fact %q: %w", f.Key, err)
	}
	if err := e.store.ReplaceFact(ctx, f); err != nil {
		return fmt.Errorf("goalkit: replace fact %q: %w", f.Key, err)
	}
	return nil
}

// PutDeal validates a deal against its funnel (one of Config.Funnels) and
// the org, and stores its history, inserting or replacing it by ID.
func (e *Engine) PutDeal(ctx context.Context, d funnel.Deal) error {
	if err := e.checkDeal(d); err != nil {
		return err
	}
	if err := e.store.PutDeal(ctx, d); err != nil {
		return fmt.Errorf("goalkit: put deal %q: %w", d.ID, err)
	}
	return nil
}

// PutDeals is PutDeal for many deals in one transaction: every deal is
// validated first, and the first invalid one (named in the error) or a deal
// ID listed twice stores none of them.
func (e *Engine) PutDeals(ctx context.Context, ds []funnel.Deal) error {
	for _, d := range ds {
		if err := e.checkDeal(d); err != nil {
			return err
		}
	}
	if err := e.store.PutDeals(ctx, ds); err != nil {
		return fmt.Errorf("goalkit: put %d deals: %w", len(ds), err)
	}
	return nil
}

// checkDeal validates d against its funnel and the org.
func (e *Engine) checkDeal(d funnel.Deal) error {
	f, ok := e.funnels[d.Funnel]
	if !ok {
		return fmt.Errorf("goalkit: put deal %q: funnel %q is not configured; add it to Config.Funnels: %w", d.ID, d.Funnel, ErrInvalid)
	}
	if err := d.Validate(f); err != nil {
		return fmt.Errorf("goalkit: put deal %q: %w", d.ID, err)
	}
	if _, err := e.Org().Unit(d.Unit); err != nil {
		return fmt.Errorf("goalkit: put deal %q: %w", d.ID, err)
	}
	return nil
}

// checkFact validates f against the engine's metrics and org, then writes
// its Value with exactly the metric's places (exact, since a valid value has
// no more: it only sets the exponent), so that the store's default split
// allocates in the metric's minor units, as the kpi ledger does: 100.01 CNY
// split 50/50 is 50.01 and 50.00.
func (e *Engine) checkFact(f *kpi.Fact, org *goal.Org) error {
	m, ok := e.metrics[f.Metric]
	if !ok {
		return &kpi.FactError{Key: f.Key, Field: "Metric", Reason: fmt.Sprintf("metric %q is not configured; add it to Config.Metrics or fix the mapping", f.Metric), Err: kpi.ErrInvalid}
	}
	if err := kpi.CheckFact(*f, m, org); err != nil {
		return err
	}
	f.Value = f.Value.Round(m.Places)
	return nil
}
