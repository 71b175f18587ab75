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

// factDiff is what storing some deals changes in their derived facts.
type factDiff struct {
	same    []kpi.Fact // implied by the stored version too, with the same content
	changed []kpi.Fact // new, or implied before with other content
	stale   []string   // keys implied by the stored version only
}

// diffDealFacts reads, before ds are stored, what their funnels derive
// (funnel.DealFacts) against what the stored versions implied, and checks
// every derived fact against the metrics and org. It writes nothing, so
// the store's own checks on ds (an ID listed twice) speak first.
func (e *Engine) diffDealFacts(ctx context.Context, tx storage.Tx, ds []funnel.Deal, org *goal.Org) (factDiff, error) {
	var diff factDiff
	for _, d := range ds {
		want, err := funnel.DealFacts(e.funnels[d.Funnel], d)
		if err != nil {
			return factDiff{}, fmt.Errorf("deal %q: %w", goal.Excerpt(d.ID), err)
		}
		before, err := e.impliedBefore(ctx, tx, d.ID)
		if err != nil {
			return factDiff{}, err
		}
		for i := range want {
			if err := e.checkFact(&want[i], org); err != nil {
				return factDiff{}, fmt.Errorf("deal %q implies a fact it cannot store: %w", goal.Excerpt(d.ID), err)
			}
			j := slices.IndexFunc(before, func(f kpi.Fact) bool { return f.Key == want[i].Key })
			if j >= 0 && sameFact(before[j], want[i], e.metrics[want[i].Metric]) {
				diff.same = append(diff.same, want[i])
			} else {
				diff.changed = append(diff.changed, want[i])
			}
		}
		for _, old := range before {
			if !slices.ContainsFunc(want, func(f kpi.Fact) bool { return f.Key == old.Key }) {
				diff.stale = append(diff.stale, old.Key)
			}
		}
	}
	return diff, nil
}

// write makes the stored facts what the diff says. The facts implied before
// with the same content go into one batched AppendFacts (a re-sent deal
// writes nothing; a fact missing because the funnel derived nothing before
// is added; a conflict, a derived fact edited by hand, falls back to the
// per-key path). Any other implied fact is looked up: added when absent,
// replaced when stored with other content or retracted. Stale keys are
// retracted. A host's own Retract of a fact an unchanged deal still implies
// stands, as a replayed fact never resurrects a retracted key.
func (diff factDiff) write(ctx context.Context, tx storage.Tx, metrics map[string]goal.Metric) error {
	for _, key := range diff.stale {
		if err := retractLive(ctx, tx, key); err != nil {
			return err
		}
	}
	changed := diff.changed
	if len(diff.same) > 0 {
		_, err := tx.AppendFacts(ctx, diff.same)
		switch {
		case errors.Is(err, storage.ErrConflict):
			changed = append(changed, diff.same...)
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
		case old.Retracted || !sameFact(old.Fact, fact, metrics[fact.Metric]):
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
