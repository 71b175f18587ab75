package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/txn"
)

func (t *tx) PutDeal(ctx context.Context, d funnel.Deal) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put deal %q: %w", d.ID, err)
	}
	if err := record.CheckDeal(d); err != nil {
		return fmt.Errorf("memory: put deal: %w", err)
	}
	old, existed := t.d.deals[d.ID]
	t.d.deals[d.ID] = record.CloneDeal(d)
	t.onUndo(func() {
		if existed {
			t.d.deals[d.ID] = old
		} else {
			delete(t.d.deals, d.ID)
		}
	})
	return nil
}

func (t *tx) PutDeals(ctx context.Context, ds []funnel.Deal) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: put deals: %w", err)
	}
	if err := txn.PutDeals(ctx, ds, t.PutDeal); err != nil {
		return fmt.Errorf("memory: put deals: %w", err)
	}
	return nil
}

func (t *tx) GetDeal(ctx context.Context, id string) (funnel.Deal, error) {
	if err := t.check(ctx); err != nil {
		return funnel.Deal{}, fmt.Errorf("memory: get deal %q: %w", id, err)
	}
	if err := record.CheckRef("deal", id); err != nil {
		return funnel.Deal{}, fmt.Errorf("memory: get deal: %w", err)
	}
	d, ok := t.d.deals[id]
	if !ok {
		return funnel.Deal{}, fmt.Errorf("memory: get deal %q: %w", id, storage.ErrNotFound)
	}
	return record.CloneDeal(d), nil
}

func (t *tx) ListDeals(ctx context.Context, f storage.DealFilter) ([]funnel.Deal, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list deals: %w", err)
	}
	if err := record.CheckDealFilter(f); err != nil {
		return nil, fmt.Errorf("memory: list deals: %w", err)
	}
	out := []funnel.Deal{}
	for _, d := range t.d.deals {
		if record.MatchDeal(d, f) {
			out = append(out, record.CloneDeal(d))
		}
	}
	slices.SortFunc(out, func(a, b funnel.Deal) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (t *tx) GetAlert(ctx context.Context, fingerprint string) (storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return storage.AlertState{}, fmt.Errorf("memory: get alert %q: %w", fingerprint, err)
	}
	if err := record.CheckRef("alert fingerprint", fingerprint); err != nil {
		return storage.AlertState{}, fmt.Errorf("memory: get alert: %w", err)
	}
	a, ok := t.d.alerts[fingerprint]
	if !ok {
		return storage.AlertState{}, fmt.Errorf("memory: get alert %q: %w", fingerprint, storage.ErrNotFound)
	}
	return record.CloneAlert(a), nil
}

func (t *tx) PutAlert(ctx context.Context, a storage.AlertState, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: put alert %q: %w", a.Fingerprint, err)
	}
	if err := record.CheckAlert(a); err != nil {
		return 0, fmt.Errorf("memory: put alert: %w", err)
	}
	old, existed := t.d.alerts[a.Fingerprint]
	if old.Version != expected {
		return 0, fmt.Errorf("memory: put alert %q: %w", a.Fingerprint, &storage.ConflictError{
			Kind: "alert", Key: a.Fingerprint, Reason: fmt.Sprintf("stored version is %d, expected %d", old.Version, expected)})
	}
	a = record.CloneAlert(a)
	a.Version = expected + 1
	t.d.alerts[a.Fingerprint] = a
	t.onUndo(func() {
		if existed {
			t.d.alerts[a.Fingerprint] = old
		} else {
			delete(t.d.alerts, a.Fingerprint)
		}
	})
	return a.Version, nil
}

func (t *tx) ListAlerts(ctx context.Context) ([]storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list alerts: %w", err)
	}
	out := make([]storage.AlertState, 0, len(t.d.alerts))
	for _, a := range t.d.alerts {
		out = append(out, record.CloneAlert(a))
	}
	slices.SortFunc(out, func(a, b storage.AlertState) int { return strings.Compare(a.Fingerprint, b.Fingerprint) })
	return out, nil
}

func (t *tx) ListLiveAlerts(ctx context.Context, k storage.AlertKind) ([]storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list live alerts: %w", err)
	}
	out := []storage.AlertState{}
	for _, a := range t.d.alerts {
		if a.Kind == k && a.Retired.IsZero() {
			out = append(out, record.CloneAlert(a))
		}
	}
	slices.SortFunc(out, func(a, b storage.AlertState) int { return strings.Compare(a.Fingerprint, b.Fingerprint) })
	return out, nil
}

func (t *tx) PruneAlerts(ctx context.Context, cutoff time.Time) (int, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: prune alerts: %w", err)
	}
	pruned := map[string]storage.AlertState{}
	for fp, a := range t.d.alerts {
		if !a.Retired.IsZero() && a.Retired.Before(cutoff) {
			pruned[fp] = a
			delete(t.d.alerts, fp)
		}
	}
	if len(pruned) > 0 {
		t.onUndo(func() { maps.Copy(t.d.alerts, pruned) })
	}
	return len(pruned), nil
}

func (t *tx) Enqueue(ctx context.Context, n storage.Notification) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: enqueue %q: %w", n.Key, err)
	}
	if err := record.CheckNotification(n); err != nil {
		return fmt.Errorf("memory: enqueue: %w", err)
	}
	n = record.CloneNotification(n)
	n.DeliveredAt = time.Time{}
	if old, ok := t.d.outbox[n.Key]; ok {
		if record.SameNotification(old, n) {
			return nil
		}
		return fmt.Errorf("memory: enqueue %q: the key is taken by another notification: %w", n.Key, storage.ErrDuplicate)
	}
	t.s.b.noteSeq++
	n.Seq = t.s.b.noteSeq
	t.d.outbox[n.Key] = n
	t.onUndo(func() { delete(t.d.outbox, n.Key) })
	return nil
}

func (t *tx) ListUndelivered(ctx context.Context, limit int) ([]storage.Notification, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: list undelivered: %w", err)
	}
	return t.undelivered(limit, func(storage.Notification) bool { return true }), nil
}

// undelivered returns copies of up to limit undelivered notifications
// that ok accepts, by CreatedAt, then Seq.
func (t *tx) undelivered(limit int, ok func(storage.Notification) bool) []storage.Notification {
	out := []storage.Notification{}
	for _, n := range t.d.outbox {
		if n.DeliveredAt.IsZero() && ok(n) {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, record.CompareNotifications)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i] = record.CloneNotification(out[i])
	}
	return out
}

// claim is who may deliver a notification, until when.
type claim struct {
	owner string
	until time.Time
}

func (t *tx) ClaimUndelivered(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]storage.Notification, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: claim undelivered: %w", err)
	}
	until, err := record.CheckClaim(owner, now, lease)
	if err != nil {
		return nil, fmt.Errorf("memory: claim undelivered: %w", err)
	}
	now = record.Time(now)
	out := t.undelivered(limit, func(n storage.Notification) bool {
		c, ok := t.d.claims[n.Key]
		return !ok || c.owner == owner || !c.until.After(now)
	})
	for _, n := range out {
		old, existed := t.d.claims[n.Key]
		t.d.claims[n.Key] = claim{owner, until}
		t.onUndo(func() {
			if existed {
				t.d.claims[n.Key] = old
			} else {
				delete(t.d.claims, n.Key)
			}
		})
	}
	return out, nil
}

func (t *tx) MarkDelivered(ctx context.Context, key string, at time.Time) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("memory: mark %q delivered: %w", key, err)
	}
	if err := record.CheckRef("notification key", key); err != nil {
		return fmt.Errorf("memory: mark delivered: %w", err)
	}
	if at.IsZero() {
		return fmt.Errorf("memory: mark %q delivered: %w", key, storage.Invalid("delivery time", "", "it is zero"))
	}
	n, ok := t.d.outbox[key]
	if !ok {
		return fmt.Errorf("memory: mark %q delivered: %w", key, storage.ErrNotFound)
	}
	if !n.DeliveredAt.IsZero() {
		return nil
	}
	old := n
	n.DeliveredAt = record.Time(at)
	t.d.outbox[key] = n
	t.onUndo(func() { t.d.outbox[key] = old })
	return nil
}
