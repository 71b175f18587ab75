package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// An evaluation writes every alert state it changed and every notification
// it raised; one statement a row made that most of an Evaluate on
// PostgreSQL. storage.AlertBatch writes them a chunk at a time instead:
// the versions read in one statement, the states in one upsert whose
// conflict clause updates only rows at the expected version, the
// notifications in one insert, each returning the keys it wrote so that
// what it did not write is found and explained as the single-row calls do.

// alertChunk is the most rows one statement writes: at 14 parameters a row,
// below SQLite's 32,766 and PostgreSQL's 65,535 parameters.
const alertChunk = 1000

// AlertVersions implements storage.AlertBatch.
func (t *tx) AlertVersions(ctx context.Context, fingerprints []string) (map[string]int64, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: alert versions: %w", err)
	}
	for _, fp := range fingerprints {
		if err := record.CheckRef("alert fingerprint", fp); err != nil {
			return nil, fmt.Errorf("sqlstore: alert versions: %w", err)
		}
	}
	out := make(map[string]int64, len(fingerprints))
	err := chunk(len(fingerprints), alertChunk, func(lo, hi int) error {
		args := []any{t.s.cfg.Tenant}
		for _, fp := range fingerprints[lo:hi] {
			args = append(args, fp)
		}
		rows, err := t.query(ctx, "SELECT fingerprint, version FROM "+t.s.t.alerts+" WHERE tenant = ? AND fingerprint IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", hi-lo), ", ")+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var fp string
			var v int64
			if err := rows.Scan(&fp, &v); err != nil {
				return err
			}
			out[fp] = v
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: alert versions: %w", err)
	}
	return out, nil
}

// PutAlerts implements storage.AlertBatch. The stored versions are read
// first, so a stale put is refused before anything is written; the upsert
// checks them again (a row inserted for a new state, updated only at the
// expected version), and runs under a savepoint inside a host's
// transaction, so a failed batch keeps nothing.
func (t *tx) PutAlerts(ctx context.Context, puts []storage.AlertPut) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put alerts: %w", err)
	}
	if err := record.CheckAlertPuts(puts); err != nil {
		return fmt.Errorf("sqlstore: put alerts: %w", err)
	}
	fps := make([]string, len(puts))
	for i, p := range puts {
		fps[i] = p.State.Fingerprint
	}
	stored, err := t.AlertVersions(ctx, fps)
	if err != nil {
		return err
	}
	for _, p := range puts {
		if v := stored[p.State.Fingerprint]; v != p.Expected {
			return alertConflict(p, v)
		}
	}
	return t.atomic(ctx, func() error {
		return chunk(len(puts), alertChunk, func(lo, hi int) error { return t.putAlerts(ctx, puts[lo:hi]) })
	})
}

func (t *tx) putAlerts(ctx context.Context, puts []storage.AlertPut) error {
	args := make([]any, 0, len(puts)*14)
	for _, p := range puts {
		args = append(append(append(args, t.s.cfg.Tenant, p.State.Fingerprint), t.alertValues(p.State)...), p.Expected+1)
	}
	set := make([]string, 0, len(alertCols))
	for _, c := range alertCols {
		set = append(set, c+" = excluded."+c)
	}
	rows, err := t.query(ctx, "INSERT INTO "+t.s.t.alerts+" AS a (tenant, fingerprint, "+strings.Join(alertCols, ", ")+", version) VALUES "+
		placeholders(len(puts), 14)+" ON CONFLICT (tenant, fingerprint) DO UPDATE SET "+strings.Join(set, ", ")+
		", version = excluded.version WHERE a.version = excluded.version - 1 RETURNING fingerprint", args...)
	if err != nil {
		return fmt.Errorf("sqlstore: put alerts: %w", err)
	}
	written, err := scanKeys(rows)
	if err != nil {
		return fmt.Errorf("sqlstore: put alerts: %w", err)
	}
	for _, p := range puts {
		if !written[p.State.Fingerprint] {
			var v int64
			err := t.queryRow(ctx, "SELECT version FROM "+t.s.t.alerts+" WHERE tenant = ? AND fingerprint = ?", t.s.cfg.Tenant, p.State.Fingerprint).Scan(&v)
			if err != nil {
				return fmt.Errorf("sqlstore: put alert %q: %w", p.State.Fingerprint, err)
			}
			return alertConflict(p, v)
		}
	}
	return nil
}

// EnqueueAll implements storage.AlertBatch: one insert a chunk, then, for
// each key it did not write (already enqueued, or twice in the batch), the
// check Enqueue makes.
func (t *tx) EnqueueAll(ctx context.Context, ns []storage.Notification) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: enqueue: %w", err)
	}
	for _, n := range ns {
		if err := record.CheckNotification(n); err != nil {
			return fmt.Errorf("sqlstore: enqueue: %w", err)
		}
	}
	return t.atomic(ctx, func() error {
		return chunk(len(ns), alertChunk, func(lo, hi int) error { return t.enqueueAll(ctx, ns[lo:hi]) })
	})
}

func (t *tx) enqueueAll(ctx context.Context, ns []storage.Notification) error {
	args := make([]any, 0, len(ns)*5)
	for _, n := range ns {
		args = append(args, t.s.cfg.Tenant, n.Key, n.Fingerprint, payloadArg(n.Payload), t.s.d.timeArg(n.CreatedAt))
	}
	rows, err := t.query(ctx, "INSERT INTO "+t.s.t.outbox+" (tenant, note_key, fingerprint, payload, created_at) VALUES "+
		placeholders(len(ns), 5)+" ON CONFLICT (tenant, note_key) DO NOTHING RETURNING note_key", args...)
	if err != nil {
		return fmt.Errorf("sqlstore: enqueue: %w", err)
	}
	written, err := scanKeys(rows)
	if err != nil {
		return fmt.Errorf("sqlstore: enqueue: %w", err)
	}
	for _, n := range ns {
		if written[n.Key] {
			written[n.Key] = false // a second one with this key was not written
			continue
		}
		if err := t.Enqueue(ctx, n); err != nil { // stored already: the same, or a duplicate
			return err
		}
	}
	return nil
}

// alertCols are the columns of an alert state that a put writes, in the
// order of alertValues.
var alertCols = []string{"kind", "rule", "labels", "state", "since", "last_eval", "fired_at", "resolved_at", "last_notified", "retired", "detector"}

// alertValues returns the arguments of a's alertCols.
func (t *tx) alertValues(a storage.AlertState) []any {
	d := t.s.d
	labels, _ := encodeMap(a.Labels).(string)
	if labels == "" {
		labels = "{}"
	}
	var retired any
	if !a.Retired.IsZero() {
		retired = d.timeArg(a.Retired)
	}
	return []any{a.Kind.String(), a.Rule, labels, a.State, d.timeArg(a.Since), d.timeArg(a.LastEval), d.timeArg(a.FiredAt),
		d.timeArg(a.ResolvedAt), d.timeArg(a.LastNotified), retired, payloadArg(a.Detector)}
}

// payloadArg passes bytes, or NULL for none.
func payloadArg(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// alertConflict is the error of a put whose expected version is not the
// stored one, as PutAlert words it.
func alertConflict(p storage.AlertPut, stored int64) error {
	return fmt.Errorf("sqlstore: put alert %q: %w", p.State.Fingerprint, &storage.ConflictError{
		Kind: "alert", Key: p.State.Fingerprint, Reason: fmt.Sprintf("stored version is %d, expected %d", stored, p.Expected)})
}

// scanKeys reads a one-column result of keys into a set, and closes rows.
func scanKeys(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) (map[string]bool, error) {
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, errors.Join(rows.Err(), rows.Close())
}
