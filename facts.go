package goalkit

import (
	"context"
	"errors"
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
// against everything a store can refuse (a date outside 0001..9999, a key or
// dimension that is not valid UTF-8, holds a NUL byte or is too long, a
// decimal with an extreme exponent: see package goal's input limits),
// converts facts booked in another currency (Convert; a missing rate
// rejects the fact with a *RateError), and stores them idempotently by key
// in one transaction. A range fact (kpi.Fact.End) is one fact spread over
// its days by the store (storage.Split). With kpi.AllOrNothing
// a batch holding any bad fact stores nothing and fails with a
// *kpi.BatchError naming every bad fact; with kpi.KeepGood the good facts
// are stored and the bad ones returned in the result. A key stored before
// with other content fails the whole batch with storage.ErrConflict in
// either mode: a correction is Replace, never a silent overwrite. A batch
// that would take a stored total beyond the store's exact range (SQLite
// only, see storage.ErrOverflow) fails whole with storage.ErrOverflow.
func (e *Engine) Ingest(ctx context.Context, facts []kpi.Fact, mode kpi.BatchMode) (IngestResult, error) {
	var res IngestResult
	var outcomes []storage.Outcome
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		res.Rejected = nil
		// The host's facts go to the store as they are (it copies what it
		// keeps) unless one is rejected or its value rewritten: then a copy.
		var good []kpi.Fact
		for i := range facts {
			f := facts[i]
			err, fatal := e.convertFact(ctx, &f)
			if fatal != nil {
				return fatal
			}
			if err == nil {
				err = e.checkFact(&f, org)
			}
			if good == nil && (err != nil || f.Value.Exponent() != facts[i].Value.Exponent() || f.Converted != facts[i].Converted) {
				good = append(make([]kpi.Fact, 0, len(facts)), facts[:i]...)
			}
			if err != nil {
				res.Rejected = append(res.Rejected, kpi.Rejection{Index: i, Err: err})
				continue
			}
			if good != nil {
				good = append(good, f)
			}
		}
		if good == nil {
			good = facts
		}
		if len(res.Rejected) > 0 && mode == kpi.AllOrNothing {
			return &kpi.BatchError{Size: len(facts), Rejected: res.Rejected}
		}
		outcomes, err = tx.AppendFacts(ctx, good)
		return err
	})
	if ce, ok := errors.AsType[*storage.ConflictError](err); ok && ce.Kind == "fact" {
		return IngestResult{}, fmt.Errorf("goalkit: ingest: fact %q is stored with other content; correct it with Engine.Replace, or give a different event its own key: %w", goal.Excerpt(ce.Key), err)
	}
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
		return fmt.Errorf("goalkit: retract fact %q: %w", goal.Excerpt(key), err)
	}
	return nil
}

// Replace corrects the fact stored with f.Key: the old content leaves every
// figure and f counts instead, in one step. f is validated like Ingest.
func (e *Engine) Replace(ctx context.Context, f kpi.Fact) error {
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		fault, err := e.convertFact(ctx, &f)
		if err := errors.Join(fault, err); err != nil {
			return err
		}
		if err := e.checkFact(&f, org); err != nil {
			return err
		}
		return tx.ReplaceFact(ctx, f)
	})
	if err != nil {
		return fmt.Errorf("goalkit: replace fact %q: %w", goal.Excerpt(f.Key), err)
	}
	return nil
}

// PutDeal validates a deal against its funnel (one of Config.Funnels) and
// the org, and stores its history, inserting or replacing it by ID. When the
// funnel derives facts (funnel.Funnel.Derive), the same transaction stores
// the facts the deal implies (funnel.DealFacts): new ones are added, changed
// ones replaced and those the stored version implied but this one does not
// retracted, so re-sending a deal is idempotent and an edit never counts
// twice.
func (e *Engine) PutDeal(ctx context.Context, d funnel.Deal) error {
	return e.putDeals(ctx, []funnel.Deal{d}, func(tx storage.Tx) error { return tx.PutDeal(ctx, d) })
}

// PutDeals is PutDeal for many deals in one transaction: every deal is
// validated first, and the first invalid one (named in the error) or a deal
// ID listed twice stores none of them.
func (e *Engine) PutDeals(ctx context.Context, ds []funnel.Deal) error {
	return e.putDeals(ctx, ds, func(tx storage.Tx) error { return tx.PutDeals(ctx, ds) })
}

// putDeals validates ds against their funnels and the org as of the
// transaction, then stores them with put.
func (e *Engine) putDeals(ctx context.Context, ds []funnel.Deal, put func(storage.Tx) error) error {
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := e.checkDeal(d, org); err != nil {
				return err
			}
		}
		diff, err := e.diffDealFacts(ctx, tx, ds, org)
		if err != nil {
			return err
		}
		if err := put(tx); err != nil {
			return err
		}
		return diff.write(ctx, tx, e.metrics)
	})
	if err == nil {
		return nil
	}
	if len(ds) == 1 {
		return fmt.Errorf("goalkit: put deal %q: %w", goal.Excerpt(ds[0].ID), err)
	}
	return fmt.Errorf("goalkit: put %d deals: %w", len(ds), err)
}

// checkDeal validates d against its funnel and org.
func (e *Engine) checkDeal(d funnel.Deal, org *goal.Org) error {
	f, ok := e.funnels[d.Funnel]
	if !ok {
		return fmt.Errorf("deal %q: funnel %q is not configured; add it to Config.Funnels: %w", goal.Excerpt(d.ID), d.Funnel, ErrInvalid)
	}
	if err := d.Validate(f); err != nil {
		return fmt.Errorf("deal %q: %w", goal.Excerpt(d.ID), err)
	}
	if _, err := org.Unit(d.Unit); err != nil {
		return fmt.Errorf("deal %q: %w", goal.Excerpt(d.ID), err)
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
	if f.WorkingDays { // a range (CheckFact): it must hold a working day of the engine's calendar
		if _, err := kpi.RangeDays(f.Date, f.End, true, e.cal); err != nil {
			if fe, ok := errors.AsType[*kpi.FactError](err); ok {
				fe.Key = f.Key
			}
			return err
		}
	}
	if f.Value.Exponent() != -m.Places { // most hosts write values so already
		f.Value = f.Value.Round(m.Places)
	}
	return nil
}
