package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

func (t *tx) ListNegotiations(ctx context.Context, planID string) ([]storage.Negotiation, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list negotiations of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list negotiations: %w", err)
	}
	byUnit := t.d.negotiations[planID]
	out := make([]storage.Negotiation, 0, len(byUnit))
	for _, unit := range slices.Sorted(maps.Keys(byUnit)) {
		n := byUnit[unit]
		n.Negotiation = n.Negotiation.Clone()
		out = append(out, n)
	}
	return out, nil
}

func (t *tx) PutNegotiations(ctx context.Context, planID string, ns []storage.Negotiation, events []storage.NegotiationEvent) error {
	mark := len(t.undo)
	err := t.putNegotiations(ctx, planID, ns, events)
	t.settle(mark, err)
	return err
}

func (t *tx) putNegotiations(ctx context.Context, planID string, ns []storage.Negotiation, events []storage.NegotiationEvent) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put negotiations: %w", err)
	}
	ns, events, err := record.CheckNegotiations(planID, ns, events)
	if err != nil {
		return fmt.Errorf("memory: put negotiations of plan %q: %w", planID, err)
	}
	prev := t.d.negotiations[planID]
	for _, n := range ns {
		if stored := prev[n.Unit].Version; stored != n.Version {
			return fmt.Errorf("memory: put negotiations of plan %q: %w", planID, record.NegotiationConflict(planID, n.Unit, stored, n.Version))
		}
	}
	next := maps.Clone(prev)
	if next == nil {
		next = map[string]storage.Negotiation{}
	}
	for _, n := range ns {
		n.Version++
		next[n.Unit] = n
	}
	oldLog := t.d.events[planID]
	log := slices.Clone(oldLog)
	for _, e := range events {
		t.s.b.seq++
		e.Seq = t.s.b.seq
		log = append(log, e)
	}
	t.d.negotiations[planID], t.d.events[planID] = next, log
	t.onUndo(func() {
		if prev == nil {
			delete(t.d.negotiations, planID)
		} else {
			t.d.negotiations[planID] = prev
		}
		if oldLog == nil {
			delete(t.d.events, planID)
		} else {
			t.d.events[planID] = oldLog
		}
	})
	return nil
}

func (t *tx) ListNegotiationEvents(ctx context.Context, planID string) ([]storage.NegotiationEvent, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list negotiation events of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("memory: list negotiation events: %w", err)
	}
	out := make([]storage.NegotiationEvent, 0, len(t.d.events[planID]))
	for _, e := range t.d.events[planID] {
		e.Before, e.After = e.Before.Clone(), e.After.Clone()
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b storage.NegotiationEvent) int { return a.At.Compare(b.At) })
	return out, nil
}
