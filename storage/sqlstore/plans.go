package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/fault"
	"github.com/goalkit/goalkit/storage/internal/record"
)

func (t *tx) CreatePlan(ctx context.Context, p *goal.Plan, audit []storage.AuditEntry) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: create plan: %w", err)
	}
	entries, err := record.CheckPlan(p, audit)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: create plan: %w", err)
	}
	if _, err := record.BuildPlan(p, 0); err != nil {
		return 0, fmt.Errorf("sqlstore: create plan %q: %w", p.ID, err)
	}
	metric, err := encodeMetric(p.Metric)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: create plan %q: %w", p.ID, err)
	}
	err = t.atomic(ctx, func() error {
		res, err := t.exec(ctx, "INSERT INTO "+t.s.t.plans+" (tenant, id, metric, version, goals) VALUES (?, ?, ?, 1, ?) ON CONFLICT (tenant, id) DO NOTHING",
			t.s.cfg.Tenant, p.ID, metric, len(p.Goals))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return storage.ErrDuplicate
		}
		if err := t.insertGoals(ctx, p); err != nil {
			return err
		}
		return t.appendAudit(ctx, entries)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: create plan %q: %w", p.ID, err)
	}
	return 1, nil
}

func (t *tx) UpdatePlan(ctx context.Context, p *goal.Plan, expected int64, audit []storage.AuditEntry) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: update plan: %w", err)
	}
	entries, err := record.CheckPlan(p, audit)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: update plan: %w", err)
	}
	if _, err := record.BuildPlan(p, 0); err != nil {
		return 0, fmt.Errorf("sqlstore: update plan %q: %w", p.ID, err)
	}
	metric, err := encodeMetric(p.Metric)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: update plan %q: %w", p.ID, err)
	}
	err = t.atomic(ctx, func() error {
		// The row keeps its goal count until the goals are written: the
		// count returned tells updateGoals whether the plan kept its length.
		var stored int
		err := t.queryRow(ctx, "UPDATE "+t.s.t.plans+" SET metric = ?, version = version + 1 WHERE tenant = ? AND id = ? AND version = ? RETURNING goals",
			metric, t.s.cfg.Tenant, p.ID, expected).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) {
			var version int64
			err := t.queryRow(ctx, "SELECT version FROM "+t.s.t.plans+" WHERE tenant = ? AND id = ?", t.s.cfg.Tenant, p.ID).Scan(&version)
			if errors.Is(err, sql.ErrNoRows) {
				return storage.ErrNotFound
			} else if err != nil {
				return err
			}
			return &storage.ConflictError{Kind: "plan", Key: p.ID,
				Reason: fmt.Sprintf("stored version is %d, expected %d; reload and reapply the change", version, expected)}
		} else if err != nil {
			return err
		}
		if err := t.updateGoals(ctx, p, stored); err != nil {
			return err
		}
		return t.appendAudit(ctx, entries)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: update plan %q: %w", p.ID, err)
	}
	return expected + 1, nil
}

const goalCols = 15

// appendAudit appends the audit entries of a plan write, once its goals
// are written (fault point PlanWritten lies between the two).
func (t *tx) appendAudit(ctx context.Context, entries []storage.AuditEntry) error {
	if err := fault.At(ctx, fault.PlanWritten); err != nil {
		return err
	}
	tenant := t.s.cfg.Tenant
	return chunk(len(entries), 500, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*8)
		for _, e := range entries[lo:hi] {
			args = append(args, tenant, e.Plan, e.Goal, e.Actor, t.s.d.timeArg(e.At), nullDecArg(e.Old), nullDecArg(e.New), e.Reason)
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.audit+" (tenant, plan, goal, actor, at, old, new, reason) VALUES "+placeholders(hi-lo, 8), args...)
		return err
	})
}

// insertGoals inserts the plan's goal rows.
func (t *tx) insertGoals(ctx context.Context, p *goal.Plan) error {
	tenant := t.s.cfg.Tenant
	return chunk(len(p.Goals), 400, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*goalCols)
		for i := lo; i < hi; i++ {
			g := p.Goals[i]
			args = append(args, tenant, p.ID, i, g.ID, g.Parent, g.Metric, g.Unit, int(g.Period.Grain),
				dayArg(g.Period.Start), dayArg(g.Period.End), g.Period.Label, decArg(g.Target),
				nullDecArg(g.Stretch), nullDecArg(g.Floor), g.Locked)
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.goals+" (tenant, plan, pos, id, parent, metric, unit, grain, start_day, end_day, label, target, stretch, floor, locked) VALUES "+
			placeholders(hi-lo, goalCols), args...)
		return err
	})
}

func (t *tx) GetPlan(ctx context.Context, id string) (*goal.Plan, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: get plan %q: %w", id, err)
	}
	if err := record.CheckRef("plan", id); err != nil {
		return nil, fmt.Errorf("sqlstore: get plan: %w", err)
	}
	p, err := t.getPlan(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: get plan %q: %w", id, err)
	}
	return p, nil
}

func (t *tx) getPlan(ctx context.Context, id string) (*goal.Plan, error) {
	var (
		metric  string
		version int64
		n       int
		m       goal.Metric
	)
	err := t.queryRow(ctx, "SELECT metric, version, goals FROM "+t.s.t.plans+" WHERE tenant = ? AND id = ?", t.s.cfg.Tenant, id).Scan(&metric, &version, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	} else if err != nil {
		return nil, err
	}
	if m, err = decodeMetric(metric); err != nil {
		return nil, err
	}
	rows, err := t.query(ctx, "SELECT id, parent, metric, unit, grain, start_day, end_day, label, target, stretch, floor, locked FROM "+
		t.s.t.goals+" WHERE tenant = ? AND plan = ? ORDER BY pos", t.s.cfg.Tenant, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	goals := make([]goal.Goal, 0, n)
	for rows.Next() {
		var g goal.Goal
		var grain int
		err := rows.Scan(&g.ID, &g.Parent, &g.Metric, &g.Unit, &grain, dayScan{&g.Period.Start}, dayScan{&g.Period.End},
			&g.Period.Label, dec{&g.Target}, decScan{&g.Stretch}, decScan{&g.Floor}, &g.Locked)
		if err != nil {
			return nil, err
		}
		g.Period.Grain = goal.Grain(grain)
		goals = append(goals, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Index the plan as every plan is: writes checked that NewPlan accepts it.
	p, err := goal.NewPlan(id, m, goals)
	if err != nil {
		return nil, fmt.Errorf("stored plan is not a valid plan: %w", err)
	}
	p.Version = version
	return p, nil
}

func (t *tx) ListPlans(ctx context.Context) ([]storage.PlanSummary, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list plans: %w", err)
	}
	rows, err := t.query(ctx, "SELECT id, metric, version, goals FROM "+t.s.t.plans+" WHERE tenant = ? ORDER BY id", t.s.cfg.Tenant)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list plans: %w", err)
	}
	defer rows.Close()
	out := []storage.PlanSummary{}
	for rows.Next() {
		var ps storage.PlanSummary
		var metric string
		if err := rows.Scan(&ps.ID, &metric, &ps.Version, &ps.Goals); err != nil {
			return nil, fmt.Errorf("sqlstore: list plans: %w", err)
		}
		if ps.Metric, err = decodeMetric(metric); err != nil {
			return nil, fmt.Errorf("sqlstore: list plans: read metric of %q: %w", ps.ID, err)
		}
		out = append(out, ps)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list plans: %w", err)
	}
	return out, nil
}

func (t *tx) ListAudit(ctx context.Context, planID string) ([]storage.AuditEntry, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list audit of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list audit of plan: %w", err)
	}
	rows, err := t.query(ctx, "SELECT seq, goal, actor, at, old, new, reason FROM "+t.s.t.audit+
		" WHERE tenant = ? AND plan = ? ORDER BY at, seq", t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list audit of plan %q: %w", planID, err)
	}
	defer rows.Close()
	out := []storage.AuditEntry{}
	for rows.Next() {
		e := storage.AuditEntry{Plan: planID}
		if err := rows.Scan(&e.Seq, &e.Goal, &e.Actor, timeScan{&e.At}, decScan{&e.Old}, decScan{&e.New}, &e.Reason); err != nil {
			return nil, fmt.Errorf("sqlstore: list audit of plan %q: %w", planID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list audit of plan %q: %w", planID, err)
	}
	return out, nil
}
