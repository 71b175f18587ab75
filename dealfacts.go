package goalkit

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
)

// checkDerivation reports a funnel whose Derivation writes a metric the
// engine does not track, or one of the wrong kind.
func (e *Engine) checkDerivation(f funnel.Funnel) error {
	if f.Derive == nil {
		return nil
	}
	counts, amounts := f.Derive.Metrics(f)
	for _, want := range []struct {
		keys []string
		kind goal.Kind
	}{{counts, goal.Count}, {amounts, goal.Amount}} {
		for _, key := range want.keys {
			m, ok := e.metrics[key]
			switch {
			case !ok:
				return fmt.Errorf("funnel %q derives facts of metric %q, which is not configured; add it to Config.Metrics with kind %s: %w", f.Key, key, want.kind, ErrInvalid)
			case m.Kind != want.kind:
				return fmt.Errorf("funnel %q derives facts of metric %q of kind %s; it must be of kind %s: %w", f.Key, key, m.Kind, want.kind, ErrInvalid)
			}
		}
	}
	return nil
}

// syncDealFacts makes the stored facts of ds what their funnels derive
// (funnel.DealFacts), inside tx and before ds are stored. A fact the stored
// version of the deal implied with the same content goes into one batched
// AppendFacts (a re-sent deal writes nothing; a fact missing because the
// funnel derived nothing before is added). Any other implied fact is looked
// up: added when absent, replaced when stored with other content or
// retracted. Facts the stored version implied and the new one does not are
// retracted. A host's own Retract of a fact an unchanged deal still implies
// stands, as a replayed fact never resurrects a retracted key.
func (e *Engine) syncDealFacts(ctx context.Context, tx storage.Tx, ds []funnel.Deal, org *goal.Org) error {
	var same, changed []kpi.Fact
	for _, d := range ds {
		want, err := funnel.DealFacts(e.funnels[d.Funnel], d)
		if err != nil {
			return fmt.Errorf("deal %q: %w", goal.Excerpt(d.ID), err)
		}
		before, err := e.impliedBefore(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		for i := range want {
			if err := e.checkFact(&want[i], org); err != nil {
				return fmt.Errorf("deal %q implies a fact it cannot store: %w", goal.Excerpt(d.ID), err)
			}
			j := slices.IndexFunc(before, func(f kpi.Fact) bool { return f.Key == want[i].Key })
			if j >= 0 && sameFact(before[j], want[i], e.metrics[want[i].Metric]) {
				same = append(same, want[i])
			} else {
				changed = append(changed, want[i])
			}
		}
		for _, old := range before {
			if slices.ContainsFunc(want, func(f kpi.Fact) bool { return f.Key == old.Key }) {
				continue
			}
			if err := retractLive(ctx, tx, old.Key); err != nil {
				return err
			}
		}
	}
	if len(same) > 0 {
		_, err := tx.AppendFacts(ctx, same)
		switch {
		case errors.Is(err, storage.ErrConflict):
			changed = append(changed, same...) // edited by hand since: correct them one by one
		case err != nil:
			return err
		}
	}
	var add []kpi.Fact
	for _, fact := range changed {
		old, err := tx.GetFact(ctx, fact.Key)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			add = append(add, fact)
		case err != nil:
			return fmt.Errorf("read fact %q: %w", goal.Excerpt(fact.Key), err)
		case old.Retracted || !sameFact(old.Fact, fact, e.metrics[fact.Metric]):
			if err := tx.ReplaceFact(ctx, fact); err != nil {
				return fmt.Errorf("replace fact %q: %w", goal.Excerpt(fact.Key), err)
			}
		}
	}
	if len(add) == 0 {
		return nil
	}
	_, err := tx.AppendFacts(ctx, add)
	return err
}

// impliedBefore returns the facts the stored version of the deal implied
// under its funnel's derivation (a handful, with distinct keys); none for a
// new deal.
func (e *Engine) impliedBefore(ctx context.Context, tx storage.Tx, id string) ([]kpi.Fact, error) {
	old, err := tx.GetDeal(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read deal %q: %w", goal.Excerpt(id), err)
	}
	f, ok := e.funnels[old.Funnel]
	if !ok {
		return nil, nil // a funnel no longer configured derives nothing
	}
	facts, err := funnel.DealFacts(f, old)
	if err != nil {
		return nil, nil // the stored version no longer fits its funnel: nothing to diff against
	}
	return facts, nil
}

// retractLive retracts the fact with key unless it is absent or retracted.
func retractLive(ctx context.Context, tx storage.Tx, key string) error {
	old, err := tx.GetFact(ctx, key)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && old.Retracted) {
		return nil
	}
	if err == nil {
		err = tx.RetractFact(ctx, key)
	}
	if err != nil {
		return fmt.Errorf("retract fact %q: %w", goal.Excerpt(key), err)
	}
	return nil
}

// sameFact reports whether a stored fact has the content of a derived one
// (no credits, no dimensions; an empty currency is the metric's).
func sameFact(stored, f kpi.Fact, m goal.Metric) bool {
	cur := func(c string) string {
		if c == "" {
			return m.Currency
		}
		return c
	}
	return stored.Metric == f.Metric && stored.Unit == f.Unit && stored.Date == f.Date &&
		stored.Value.Equal(f.Value) && cur(stored.Currency) == cur(f.Currency) &&
		len(stored.Credits) == 0 && len(stored.Dims) == 0
}
