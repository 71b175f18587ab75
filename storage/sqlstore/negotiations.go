package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

func (t *tx) ListNegotiations(ctx context.Context, planID string) ([]storage.Negotiation, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiations of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiations: %w", err)
	}
	rows, err := t.query(ctx, "SELECT unit, version, body FROM "+t.s.t.negotiations+" WHERE tenant = ? AND plan = ? ORDER BY unit",
		t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiations of plan %q: %w", planID, err)
	}
	defer rows.Close()
	out := []storage.Negotiation{}
	for rows.Next() {
		n := storage.Negotiation{Plan: planID}
		var unit, body string
		if err := rows.Scan(&unit, &n.Version, &body); err != nil {
			return nil, fmt.Errorf("sqlstore: list negotiations of plan %q: %w", planID, err)
		}
		if n.Negotiation, err = decodeNegotiation(body); err != nil {
			return nil, fmt.Errorf("sqlstore: list negotiations of plan %q: unit %q: %w", planID, unit, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiations of plan %q: %w", planID, err)
	}
	return out, nil
}

func (t *tx) PutNegotiations(ctx context.Context, planID string, ns []storage.Negotiation, events []storage.NegotiationEvent) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put negotiations: %w", err)
	}
	ns, events, err := record.CheckNegotiations(planID, ns, events)
	if err != nil {
		return fmt.Errorf("sqlstore: put negotiations of plan %q: %w", planID, err)
	}
	bodies := make([]string, len(ns))
	for i, n := range ns {
		if bodies[i], err = encodeNegotiation(n.Negotiation); err != nil {
			return fmt.Errorf("sqlstore: put negotiations of plan %q: %w", planID, err)
		}
	}
	err = t.atomic(ctx, func() error {
		for i, n := range ns {
			if err := t.putNegotiation(ctx, n, bodies[i]); err != nil {
				return err
			}
		}
		for _, e := range events {
			before, err := encodeNegotiation(e.Before)
			if err != nil {
				return err
			}
			after, err := encodeNegotiation(e.After)
			if err != nil {
				return err
			}
			_, err = t.exec(ctx, "INSERT INTO "+t.s.t.events+" (tenant, plan, unit, actor, at, move, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				t.s.cfg.Tenant, planID, e.Unit, e.Actor, t.s.d.timeArg(e.At), e.Move.String(), before, after, e.Reason)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: put negotiations of plan %q: %w", planID, err)
	}
	return nil
}

// putNegotiation writes one record if its stored version is n.Version.
func (t *tx) putNegotiation(ctx context.Context, n storage.Negotiation, body string) error {
	tenant := t.s.cfg.Tenant
	var (
		res sql.Result
		err error
	)
	if n.Version == 0 {
		res, err = t.exec(ctx, "INSERT INTO "+t.s.t.negotiations+" (tenant, plan, unit, version, body) VALUES (?, ?, ?, 1, ?) ON CONFLICT (tenant, plan, unit) DO NOTHING",
			tenant, n.Plan, n.Unit, body)
	} else {
		res, err = t.exec(ctx, "UPDATE "+t.s.t.negotiations+" SET version = version + 1, body = ? WHERE tenant = ? AND plan = ? AND unit = ? AND version = ?",
			body, tenant, n.Plan, n.Unit, n.Version)
	}
	if err != nil {
		return err
	}
	if k, err := res.RowsAffected(); err != nil || k == 1 {
		return err
	}
	var stored int64
	err = t.queryRow(ctx, "SELECT version FROM "+t.s.t.negotiations+" WHERE tenant = ? AND plan = ? AND unit = ?", tenant, n.Plan, n.Unit).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return record.NegotiationConflict(n.Plan, n.Unit, stored, n.Version)
}

func (t *tx) ListNegotiationEvents(ctx context.Context, planID string) ([]storage.NegotiationEvent, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiation events of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiation events: %w", err)
	}
	rows, err := t.query(ctx, "SELECT seq, unit, actor, at, move, before, after, reason FROM "+t.s.t.events+
		" WHERE tenant = ? AND plan = ? ORDER BY at, seq", t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiation events of plan %q: %w", planID, err)
	}
	defer rows.Close()
	out := []storage.NegotiationEvent{}
	for rows.Next() {
		e := storage.NegotiationEvent{Plan: planID}
		var move, before, after string
		if err := rows.Scan(&e.Seq, &e.Unit, &e.Actor, timeScan{&e.At}, &move, &before, &after, &e.Reason); err != nil {
			return nil, fmt.Errorf("sqlstore: list negotiation events of plan %q: %w", planID, err)
		}
		err := e.Move.UnmarshalText([]byte(move))
		if err == nil {
			e.Before, err = decodeNegotiation(before)
		}
		if err == nil {
			e.After, err = decodeNegotiation(after)
		}
		if err != nil {
			return nil, fmt.Errorf("sqlstore: list negotiation events of plan %q: event %d: %w", planID, e.Seq, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list negotiation events of plan %q: %w", planID, err)
	}
	return out, nil
}
