package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/funnel"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/txn"
)

func (t *tx) PutDeal(ctx context.Context, d funnel.Deal) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put deal %q: %w", d.ID, err)
	}
	if err := record.CheckDeal(d); err != nil {
		return fmt.Errorf("sqlstore: put deal: %w", err)
	}
	_, err := t.exec(ctx, "INSERT INTO "+t.s.t.deals+" (tenant, id, funnel, unit, value, currency, last_stage, transitions, expected_close) VALUES "+placeholders(1, 9)+
		" ON CONFLICT (tenant, id) DO UPDATE SET funnel = excluded.funnel, unit = excluded.unit, value = excluded.value, currency = excluded.currency, last_stage = excluded.last_stage, transitions = excluded.transitions, expected_close = excluded.expected_close",
		t.s.cfg.Tenant, d.ID, d.Funnel, d.Unit, decArg(d.Value), d.Currency, record.LastStage(d), encodeTransitions(d.Transitions), nullDayArg(d.ExpectedClose))
	if err != nil {
		return fmt.Errorf("sqlstore: put deal %q: %w", d.ID, err)
	}
	return nil
}

func (t *tx) PutDeals(ctx context.Context, ds []funnel.Deal) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put deals: %w", err)
	}
	if err := txn.PutDeals(ctx, ds, t.PutDeal); err != nil {
		return fmt.Errorf("sqlstore: put deals: %w", err)
	}
	return nil
}

const dealSelect = "SELECT id, funnel, unit, value, currency, transitions, expected_close FROM "

func scanDeal(row interface{ Scan(...any) error }) (funnel.Deal, error) {
	var d funnel.Deal
	var ts string
	if err := row.Scan(&d.ID, &d.Funnel, &d.Unit, dec{&d.Value}, &d.Currency, &ts, nullDayScan{&d.ExpectedClose}); err != nil {
		return d, err
	}
	var err error
	d.Transitions, err = decodeTransitions(ts)
	return d, err
}

func (t *tx) GetDeal(ctx context.Context, id string) (funnel.Deal, error) {
	if err := t.check(ctx); err != nil {
		return funnel.Deal{}, fmt.Errorf("sqlstore: get deal %q: %w", id, err)
	}
	if err := record.CheckRef("deal", id); err != nil {
		return funnel.Deal{}, fmt.Errorf("sqlstore: get deal: %w", err)
	}
	d, err := scanDeal(t.queryRow(ctx, dealSelect+t.s.t.deals+" WHERE tenant = ? AND id = ?", t.s.cfg.Tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = storage.ErrNotFound
	}
	if err != nil {
		return funnel.Deal{}, fmt.Errorf("sqlstore: get deal %q: %w", id, err)
	}
	return d, nil
}

func (t *tx) ListDeals(ctx context.Context, f storage.DealFilter) ([]funnel.Deal, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list deals: %w", err)
	}
	if err := record.CheckDealFilter(f); err != nil {
		return nil, fmt.Errorf("sqlstore: list deals: %w", err)
	}
	q := dealSelect + t.s.t.deals + " WHERE tenant = ?"
	args := []any{t.s.cfg.Tenant}
	if f.Funnel != "" {
		q += " AND funnel = ?"
		args = append(args, f.Funnel)
	}
	if f.Unit != "" {
		q += " AND unit = ?"
		args = append(args, f.Unit)
	}
	if len(f.ExcludeStages) > 0 {
		q += " AND last_stage NOT IN " + placeholders(1, len(f.ExcludeStages))
		for _, s := range f.ExcludeStages {
			args = append(args, s)
		}
	}
	rows, err := t.query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list deals: %w", err)
	}
	defer rows.Close()
	out := []funnel.Deal{}
	for rows.Next() {
		d, err := scanDeal(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list deals: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list deals: %w", err)
	}
	return out, nil
}

const alertSelect = "SELECT fingerprint, kind, rule, labels, state, since, last_eval, fired_at, resolved_at, last_notified, retired, detector, version FROM "

func scanAlert(row interface{ Scan(...any) error }) (storage.AlertState, error) {
	var a storage.AlertState
	var labels, kind string
	err := row.Scan(&a.Fingerprint, &kind, &a.Rule, &labels, &a.State, timeScan{&a.Since}, timeScan{&a.LastEval}, timeScan{&a.FiredAt},
		timeScan{&a.ResolvedAt}, timeScan{&a.LastNotified}, timeScan{&a.Retired}, &a.Detector, &a.Version)
	if err != nil {
		return a, err
	}
	if a.Kind, err = storage.ParseAlertKind(kind); err != nil {
		return a, err
	}
	if len(a.Detector) == 0 {
		a.Detector = nil
	}
	a.Labels, err = decodeMap(&labels)
	return a, err
}

func (t *tx) GetAlert(ctx context.Context, fingerprint string) (storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return storage.AlertState{}, fmt.Errorf("sqlstore: get alert %q: %w", fingerprint, err)
	}
	if err := record.CheckRef("alert fingerprint", fingerprint); err != nil {
		return storage.AlertState{}, fmt.Errorf("sqlstore: get alert: %w", err)
	}
	a, err := scanAlert(t.queryRow(ctx, alertSelect+t.s.t.alerts+" WHERE tenant = ? AND fingerprint = ?", t.s.cfg.Tenant, fingerprint))
	if errors.Is(err, sql.ErrNoRows) {
		err = storage.ErrNotFound
	}
	if err != nil {
		return storage.AlertState{}, fmt.Errorf("sqlstore: get alert %q: %w", fingerprint, err)
	}
	return a, nil
}

func (t *tx) PutAlert(ctx context.Context, a storage.AlertState, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: put alert %q: %w", a.Fingerprint, err)
	}
	if err := record.CheckAlert(a); err != nil {
		return 0, fmt.Errorf("sqlstore: put alert: %w", err)
	}
	vals := t.alertValues(a)
	var res sql.Result
	var err error
	if expected == 0 {
		res, err = t.exec(ctx, "INSERT INTO "+t.s.t.alerts+" (tenant, fingerprint, kind, rule, labels, state, since, last_eval, fired_at, resolved_at, last_notified, retired, detector, version) VALUES "+
			placeholders(1, 14)+" ON CONFLICT (tenant, fingerprint) DO NOTHING", append(append([]any{t.s.cfg.Tenant, a.Fingerprint}, vals...), 1)...)
	} else {
		res, err = t.exec(ctx, "UPDATE "+t.s.t.alerts+" SET kind = ?, rule = ?, labels = ?, state = ?, since = ?, last_eval = ?, fired_at = ?, resolved_at = ?, last_notified = ?, retired = ?, detector = ?, version = version + 1"+
			" WHERE tenant = ? AND fingerprint = ? AND version = ?", append(vals, t.s.cfg.Tenant, a.Fingerprint, expected)...)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: put alert %q: %w", a.Fingerprint, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: put alert %q: %w", a.Fingerprint, err)
	}
	if n == 0 {
		var stored int64
		err := t.queryRow(ctx, "SELECT version FROM "+t.s.t.alerts+" WHERE tenant = ? AND fingerprint = ?", t.s.cfg.Tenant, a.Fingerprint).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("sqlstore: put alert %q: %w", a.Fingerprint, err)
		}
		return 0, alertConflict(storage.AlertPut{State: a, Expected: expected}, stored)
	}
	return expected + 1, nil
}

func (t *tx) ListAlerts(ctx context.Context) ([]storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list alerts: %w", err)
	}
	out, err := t.listAlerts(ctx, alertSelect+t.s.t.alerts+" WHERE tenant = ? ORDER BY fingerprint", t.s.cfg.Tenant)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list alerts: %w", err)
	}
	return out, nil
}

func (t *tx) ListLiveAlerts(ctx context.Context, k storage.AlertKind) ([]storage.AlertState, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list live alerts: %w", err)
	}
	// The partial index alerts_live holds exactly these rows.
	out, err := t.listAlerts(ctx, alertSelect+t.s.t.alerts+" WHERE tenant = ? AND kind = ? AND retired IS NULL ORDER BY fingerprint",
		t.s.cfg.Tenant, k.String())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list live %s alerts: %w", k, err)
	}
	return out, nil
}

func (t *tx) listAlerts(ctx context.Context, query string, args ...any) ([]storage.AlertState, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []storage.AlertState{}
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *tx) PruneAlerts(ctx context.Context, cutoff time.Time) (int, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: prune alerts: %w", err)
	}
	res, err := t.exec(ctx, "DELETE FROM "+t.s.t.alerts+" WHERE tenant = ? AND retired IS NOT NULL AND retired < ?",
		t.s.cfg.Tenant, t.s.d.timeArg(cutoff))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: prune alerts before %s: %w", cutoff.UTC().Format(time.RFC3339), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: prune alerts: %w", err)
	}
	return int(n), nil
}

const (
	noteCols   = "seq, note_key, fingerprint, payload, created_at, delivered_at"
	noteSelect = "SELECT " + noteCols + " FROM "
)

func scanNote(row interface{ Scan(...any) error }) (storage.Notification, error) {
	var n storage.Notification
	err := row.Scan(&n.Seq, &n.Key, &n.Fingerprint, &n.Payload, timeScan{&n.CreatedAt}, timeScan{&n.DeliveredAt})
	if len(n.Payload) == 0 {
		n.Payload = nil
	}
	return n, err
}

func (t *tx) Enqueue(ctx context.Context, n storage.Notification) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: enqueue %q: %w", n.Key, err)
	}
	if err := record.CheckNotification(n); err != nil {
		return fmt.Errorf("sqlstore: enqueue: %w", err)
	}
	n = record.CloneNotification(n)
	res, err := t.exec(ctx, "INSERT INTO "+t.s.t.outbox+" (tenant, note_key, fingerprint, payload, created_at, delivered_at) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (tenant, note_key) DO NOTHING",
		t.s.cfg.Tenant, n.Key, n.Fingerprint, payloadArg(n.Payload), t.s.d.timeArg(n.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlstore: enqueue %q: %w", n.Key, err)
	}
	if k, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlstore: enqueue %q: %w", n.Key, err)
	} else if k == 1 {
		return nil
	}
	old, err := scanNote(t.queryRow(ctx, noteSelect+t.s.t.outbox+" WHERE tenant = ? AND note_key = ?", t.s.cfg.Tenant, n.Key))
	if err != nil {
		return fmt.Errorf("sqlstore: enqueue %q: %w", n.Key, err)
	}
	if !record.SameNotification(old, n) {
		return fmt.Errorf("sqlstore: enqueue %q: the key is taken by another notification: %w", n.Key, storage.ErrDuplicate)
	}
	return nil
}

func (t *tx) ListUndelivered(ctx context.Context, limit int) ([]storage.Notification, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list undelivered: %w", err)
	}
	q := noteSelect + t.s.t.outbox + " WHERE tenant = ? AND delivered_at IS NULL ORDER BY created_at, seq"
	args := []any{t.s.cfg.Tenant}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	out, err := t.notes(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list undelivered: %w", err)
	}
	return out, nil
}

// notes runs a query returning notification rows (noteSelect's columns).
func (t *tx) notes(ctx context.Context, q string, args ...any) ([]storage.Notification, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []storage.Notification{}
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (t *tx) ClaimUndelivered(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]storage.Notification, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: claim undelivered: %w", err)
	}
	until, err := record.CheckClaim(owner, now, lease)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim undelivered: %w", err)
	}
	d, o := t.s.d, t.s.t.outbox
	pick := "SELECT note_key FROM " + o + " WHERE tenant = ? AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?) ORDER BY created_at, seq"
	args := []any{owner, d.timeArg(until), t.s.cfg.Tenant, t.s.cfg.Tenant, d.timeArg(now), owner}
	if limit > 0 {
		pick += " LIMIT ?"
		args = append(args, limit)
	}
	if t.s.cfg.Dialect == PostgreSQL {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	out, err := t.notes(ctx, "UPDATE "+o+" SET claimed_by = ?, claimed_until = ? WHERE tenant = ? AND note_key IN ("+pick+") RETURNING "+noteCols, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim undelivered: %w", err)
	}
	// RETURNING has no order.
	slices.SortFunc(out, record.CompareNotifications)
	return out, nil
}

func (t *tx) MarkDelivered(ctx context.Context, key string, at time.Time) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: mark %q delivered: %w", key, err)
	}
	if err := record.CheckRef("notification key", key); err != nil {
		return fmt.Errorf("sqlstore: mark delivered: %w", err)
	}
	if at.IsZero() {
		return fmt.Errorf("sqlstore: mark %q delivered: %w", key, storage.Invalid("delivery time", "", "it is zero"))
	}
	res, err := t.exec(ctx, "UPDATE "+t.s.t.outbox+" SET delivered_at = ? WHERE tenant = ? AND note_key = ? AND delivered_at IS NULL",
		t.s.d.timeArg(at), t.s.cfg.Tenant, key)
	if err != nil {
		return fmt.Errorf("sqlstore: mark %q delivered: %w", key, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlstore: mark %q delivered: %w", key, err)
	} else if n == 1 {
		return nil
	}
	var one int
	err = t.queryRow(ctx, "SELECT 1 FROM "+t.s.t.outbox+" WHERE tenant = ? AND note_key = ?", t.s.cfg.Tenant, key).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		err = storage.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("sqlstore: mark %q delivered: %w", key, err)
	}
	return nil
}
