package goalkit

import (
	"context"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/rickb777/date/v2"
)

// Convert returns f in its metric's currency: a fact of an amount metric
// booked in another currency (f.Currency) is converted with Config.Rates at
// the rate of its Date (a range fact's first day), by kpi.Convert: Amount ×
// Rate rounded half to even to the metric's places. The result keeps the
// original amount, currency and rate in Converted and carries the metric's
// currency. Any other fact (already in the metric's currency, already
// converted, not an amount, an unknown metric, or no Config.Rates) is
// returned as it is, for Ingest's checks to judge. A missing rate is a
// *RateError (ErrNoRate) naming the pair and the day. Ingest and Replace
// convert every fact this way; hosts call Convert to preview.
func (e *Engine) Convert(ctx context.Context, f kpi.Fact) (kpi.Fact, error) {
	m, ok := e.metrics[f.Metric]
	if !ok || e.rates == nil || m.Kind != goal.Amount || f.Converted != nil || f.Currency == "" || f.Currency == m.Currency {
		return f, nil
	}
	rate, err := e.rates.Rate(ctx, f.Currency, m.Currency, f.Date)
	if err != nil {
		return f, fmt.Errorf("fact %q: %w", goal.Excerpt(f.Key), err)
	}
	f.Converted = &kpi.Conversion{Currency: f.Currency, Amount: f.Value, Rate: rate}
	f.Value, f.Currency = kpi.Convert(f.Value, rate, m.Places), m.Currency
	return f, nil
}

// convertFact is Convert for the ingest paths: a missing rate is the
// fact's fault (a *kpi.FactError on Currency that still matches
// ErrNoRate and *RateError), any other error the source's.
func (e *Engine) convertFact(ctx context.Context, f *kpi.Fact) (fault, err error) {
	c, err := e.Convert(ctx, *f)
	if errors.Is(err, ErrNoRate) {
		return &kpi.FactError{Key: f.Key, Field: "Currency", Reason: err.Error(), Err: err}, nil
	}
	if err != nil {
		return nil, err
	}
	*f = c
	return nil, nil
}

// RevalueResult says what Revalue did.
type RevalueResult struct {
	Checked  int // stored facts converted from the currency within the range
	Replaced int // those whose rate changed, now converted at the new rate
}

// Revalue converts again every live fact stored as converted from currency
// whose Date is in [start, end), at the rate Config.Rates gives now, and
// replaces those whose rate changed (the old value leaves every figure,
// the new one counts), in one transaction: after a rate is corrected,
// Revalue over the days it was in effect makes the facts agree with it.
// It is idempotent: a second call finds nothing to replace. It reads every
// stored fact once (O(facts)); a missing rate (a *RateError) or a fact the
// engine would no longer accept fails it whole, changing nothing.
func (e *Engine) Revalue(ctx context.Context, currency string, start, end date.Date) (RevalueResult, error) {
	var res RevalueResult
	if e.rates == nil {
		return res, fmt.Errorf("goalkit: revalue %s: Config.Rates is nil; give the engine a RateSource: %w", goal.Excerpt(currency), ErrInvalid)
	}
	err := e.store.InTx(ctx, func(tx storage.Tx) error {
		res = RevalueResult{}
		org, err := e.orgIn(ctx, tx)
		if err != nil {
			return err
		}
		const page = 1000
		for after := ""; ; {
			facts, err := tx.ListFacts(ctx, after, page)
			if err != nil {
				return err
			}
			for _, sf := range facts {
				f := sf.Fact
				if sf.Retracted || f.Converted == nil || f.Converted.Currency != currency || f.Date < start || f.Date >= end {
					continue
				}
				res.Checked++
				orig := f
				orig.Value, orig.Currency, orig.Converted = f.Converted.Amount, f.Converted.Currency, nil
				again, err := e.Convert(ctx, orig)
				if err != nil {
					return err
				}
				if again.Converted != nil && again.Converted.Rate.Equal(f.Converted.Rate) {
					continue
				}
				if err := e.checkFact(&again, org); err != nil {
					return err
				}
				if err := tx.ReplaceFact(ctx, again); err != nil {
					return err
				}
				res.Replaced++
			}
			if len(facts) < page {
				return nil
			}
			after = facts[len(facts)-1].Key
		}
	})
	if err != nil {
		return RevalueResult{}, fmt.Errorf("goalkit: revalue %s from %s to %s: %w", goal.Excerpt(currency), start, end, err)
	}
	return res, nil
}
