// Package txn holds what the transactions of every goalkit store share, so
// the memory store and the SQL store keep it in one place: the Store methods
// that run one operation as a transaction of its own (Auto) and the check that
// a Tx is still usable (State).
package txn

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// RunFunc runs fn in a transaction: a read-only snapshot for Auto.Read, a
// write transaction that commits if fn returns nil for Auto.Write.
type RunFunc func(ctx context.Context, fn func(t storage.Tx) error) error

// Auto is every method of storage.Tx outside any transaction: each runs the
// Tx method of the same name in a transaction of its own, with Read for the
// operations that only read and Write for those that change something. A
// store embeds it, so that it implements storage.Tx, and sets both fields
// when it is made.
type Auto struct {
	Read, Write RunFunc
}

var _ storage.Tx = Auto{}

// PutUnits implements storage.Units.
func (a Auto) PutUnits(ctx context.Context, units []goal.Unit) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutUnits(ctx, units) })
}

// ListUnits implements storage.Units.
func (a Auto) ListUnits(ctx context.Context) (us []goal.Unit, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { us, err = t.ListUnits(ctx); return err })
	return us, err
}

// OrgVersion implements storage.Units.
func (a Auto) OrgVersion(ctx context.Context) (v int64, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { v, err = t.OrgVersion(ctx); return err })
	return v, err
}

// EditOrg implements storage.Units.
func (a Auto) EditOrg(ctx context.Context, e goal.OrgEdit, expected int64) (v int64, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { v, err = t.EditOrg(ctx, e, expected); return err })
	return v, err
}

// CreatePlan implements storage.Plans.
func (a Auto) CreatePlan(ctx context.Context, p *goal.Plan, audit []storage.AuditEntry) (v int64, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { v, err = t.CreatePlan(ctx, p, audit); return err })
	return v, err
}

// GetPlan implements storage.Plans.
func (a Auto) GetPlan(ctx context.Context, id string) (p *goal.Plan, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { p, err = t.GetPlan(ctx, id); return err })
	return p, err
}

// UpdatePlan implements storage.Plans.
func (a Auto) UpdatePlan(ctx context.Context, p *goal.Plan, expected int64, audit []storage.AuditEntry) (v int64, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { v, err = t.UpdatePlan(ctx, p, expected, audit); return err })
	return v, err
}

// ListPlans implements storage.Plans.
func (a Auto) ListPlans(ctx context.Context) (ps []storage.PlanSummary, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ps, err = t.ListPlans(ctx); return err })
	return ps, err
}

// ListAudit implements storage.Plans.
func (a Auto) ListAudit(ctx context.Context, planID string) (es []storage.AuditEntry, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { es, err = t.ListAudit(ctx, planID); return err })
	return es, err
}

// AppendFacts implements storage.Facts.
func (a Auto) AppendFacts(ctx context.Context, facts []kpi.Fact) (out []storage.Outcome, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { out, err = t.AppendFacts(ctx, facts); return err })
	return out, err
}

// GetFact implements storage.Facts.
func (a Auto) GetFact(ctx context.Context, key string) (f storage.StoredFact, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { f, err = t.GetFact(ctx, key); return err })
	return f, err
}

// ListFacts implements storage.Facts.
func (a Auto) ListFacts(ctx context.Context, after string, limit int) (fs []storage.StoredFact, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { fs, err = t.ListFacts(ctx, after, limit); return err })
	return fs, err
}

// RetractFact implements storage.Facts.
func (a Auto) RetractFact(ctx context.Context, key string) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.RetractFact(ctx, key) })
}

// ReplaceFact implements storage.Facts.
func (a Auto) ReplaceFact(ctx context.Context, f kpi.Fact) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.ReplaceFact(ctx, f) })
}

// Sum implements storage.Totals.
func (a Auto) Sum(ctx context.Context, q storage.Query) (tot storage.Total, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { tot, err = t.Sum(ctx, q); return err })
	return tot, err
}

// SumMany implements storage.Totals.
func (a Auto) SumMany(ctx context.Context, qs []storage.Query) (tots []storage.Total, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { tots, err = t.SumMany(ctx, qs); return err })
	return tots, err
}

// PutDeal implements storage.Deals.
func (a Auto) PutDeal(ctx context.Context, d funnel.Deal) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutDeal(ctx, d) })
}

// PutDeals implements storage.Deals.
func (a Auto) PutDeals(ctx context.Context, ds []funnel.Deal) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutDeals(ctx, ds) })
}

// PutDeals is the Tx method of every store: it checks every deal with
// record.CheckDeals, then writes each with put, the store's PutDeal.
func PutDeals(ctx context.Context, ds []funnel.Deal, put func(context.Context, funnel.Deal) error) error {
	if err := record.CheckDeals(ds); err != nil {
		return err
	}
	for _, d := range ds {
		if err := put(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// GetDeal implements storage.Deals.
func (a Auto) GetDeal(ctx context.Context, id string) (d funnel.Deal, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { d, err = t.GetDeal(ctx, id); return err })
	return d, err
}

// ListDeals implements storage.Deals.
func (a Auto) ListDeals(ctx context.Context, f storage.DealFilter) (ds []funnel.Deal, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ds, err = t.ListDeals(ctx, f); return err })
	return ds, err
}

// GetAlert implements storage.Alerts.
func (a Auto) GetAlert(ctx context.Context, fingerprint string) (s storage.AlertState, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { s, err = t.GetAlert(ctx, fingerprint); return err })
	return s, err
}

// PutAlert implements storage.Alerts.
func (a Auto) PutAlert(ctx context.Context, s storage.AlertState, expected int64) (v int64, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { v, err = t.PutAlert(ctx, s, expected); return err })
	return v, err
}

// ListAlerts implements storage.Alerts.
func (a Auto) ListAlerts(ctx context.Context) (ss []storage.AlertState, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ss, err = t.ListAlerts(ctx); return err })
	return ss, err
}

// ListLiveAlerts implements storage.Alerts.
func (a Auto) ListLiveAlerts(ctx context.Context, k storage.AlertKind) (ss []storage.AlertState, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ss, err = t.ListLiveAlerts(ctx, k); return err })
	return ss, err
}

// PruneAlerts implements storage.Alerts.
func (a Auto) PruneAlerts(ctx context.Context, cutoff time.Time) (n int, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { n, err = t.PruneAlerts(ctx, cutoff); return err })
	return n, err
}

// Enqueue implements storage.Outbox.
func (a Auto) Enqueue(ctx context.Context, n storage.Notification) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.Enqueue(ctx, n) })
}

// ListUndelivered implements storage.Outbox.
func (a Auto) ListUndelivered(ctx context.Context, limit int) (ns []storage.Notification, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ns, err = t.ListUndelivered(ctx, limit); return err })
	return ns, err
}

// ClaimUndelivered implements storage.Outbox.
func (a Auto) ClaimUndelivered(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) (ns []storage.Notification, err error) {
	err = a.Write(ctx, func(t storage.Tx) error { ns, err = t.ClaimUndelivered(ctx, owner, now, lease, limit); return err })
	return ns, err
}

// MarkDelivered implements storage.Outbox.
func (a Auto) MarkDelivered(ctx context.Context, key string, at time.Time) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.MarkDelivered(ctx, key, at) })
}

// Sum answers one query with sumMany, as every store's Tx.Sum does.
func Sum(ctx context.Context, q storage.Query, sumMany func(context.Context, []storage.Query) ([]storage.Total, error)) (storage.Total, error) {
	tots, err := sumMany(ctx, []storage.Query{q})
	if err != nil {
		return storage.Total{}, err
	}
	return tots[0], nil
}

// State tracks whether a Tx may still be used. The zero value is a live
// transaction.
type State struct {
	done atomic.Bool
}

// End marks the transaction finished: the function given to InTx returned.
func (s *State) End() { s.done.Store(true) }

// Check is called first by every operation of a Tx: it returns finished
// once End was called, otherwise ctx.Err().
func (s *State) Check(ctx context.Context, finished error) error {
	if s.done.Load() {
		return finished
	}
	return ctx.Err()
}

// ListNegotiations implements storage.Negotiations.
func (a Auto) ListNegotiations(ctx context.Context, planID string) (ns []storage.Negotiation, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { ns, err = t.ListNegotiations(ctx, planID); return err })
	return ns, err
}

// PutNegotiations implements storage.Negotiations.
func (a Auto) PutNegotiations(ctx context.Context, planID string, ns []storage.Negotiation, events []storage.NegotiationEvent) error {
	return a.Write(ctx, func(t storage.Tx) error { return t.PutNegotiations(ctx, planID, ns, events) })
}

// ListNegotiationEvents implements storage.Negotiations.
func (a Auto) ListNegotiationEvents(ctx context.Context, planID string) (es []storage.NegotiationEvent, err error) {
	err = a.Read(ctx, func(t storage.Tx) error { es, err = t.ListNegotiationEvents(ctx, planID); return err })
	return es, err
}
