package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/internal/record"
)

func (t *tx) PutUnits(ctx context.Context, units []goal.Unit) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	if err := record.CheckUnits(units); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	err := t.atomic(ctx, func() error { return t.putUnits(ctx, units) })
	if err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	return nil
}

func (t *tx) putUnits(ctx context.Context, units []goal.Unit) error {
	tenant := t.s.cfg.Tenant
	old, err := t.closure(ctx)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.units+" WHERE tenant = ?", tenant); err != nil {
		return err
	}
	err = chunk(len(units), 500, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*8)
		for i := lo; i < hi; i++ {
			u := units[i]
			args = append(args, tenant, u.ID, i, u.Parent, u.Kind, u.Name, dayArg(u.ActiveFrom), dayArg(u.ActiveUntil))
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.units+" (tenant, id, pos, parent, kind, name, active_from, active_until) VALUES "+placeholders(hi-lo, 8), args...)
		return err
	})
	if err != nil {
		return err
	}
	anc := record.Ancestors(units)
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.ancestors+" WHERE tenant = ?", tenant); err != nil {
		return err
	}
	type row struct {
		unit, ancestor string
		depth          int
	}
	var rows []row
	for _, u := range units {
		rows = append(rows, row{u.ID, u.ID, 0})
		for d, a := range anc[u.ID] {
			rows = append(rows, row{u.ID, a, d + 1})
		}
	}
	err = chunk(len(rows), 500, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*4)
		for _, r := range rows[lo:hi] {
			args = append(args, tenant, r.unit, r.depth, r.ancestor)
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.ancestors+" (tenant, unit, depth, ancestor) VALUES "+placeholders(hi-lo, 4), args...)
		return err
	})
	if err != nil {
		return err
	}
	if maps.EqualFunc(old, anc, slices.Equal[[]string]) {
		return nil
	}
	return t.rebuildTree(ctx)
}

// closure returns every stored unit's proper ancestors, nearest first.
func (t *tx) closure(ctx context.Context) (map[string][]string, error) {
	rows, err := t.query(ctx, "SELECT unit, ancestor FROM "+t.s.t.ancestors+" WHERE tenant = ? AND depth > 0 ORDER BY unit, depth", t.s.cfg.Tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var u, a string
		if err := rows.Scan(&u, &a); err != nil {
			return nil, err
		}
		out[u] = append(out[u], a)
	}
	return out, rows.Err()
}

// rebuildTree recomputes the subtree buckets from the units' own buckets
// and the closure, in the database: an internal unit's subtree total is the
// sum of the own totals of every unit it is an ancestor-or-self of. Leaves
// (and units not in the org) have no subtree buckets: their own buckets
// answer.
func (t *tx) rebuildTree(ctx context.Context) error {
	if t.s.cfg.Dialect == PostgreSQL {
		return t.rebuildTreeMonths(ctx) // PostgreSQL keeps subtree totals per month only
	}
	d, c := t.s.t.daily, t.s.t.ancestors
	if _, err := t.exec(ctx, "DELETE FROM "+d+" WHERE tenant = ? AND scope = 't'", t.s.cfg.Tenant); err != nil {
		return err
	}
	var sums, cols string
	if t.s.cfg.Dialect == SQLite {
		cols = "v_hi, v_lo, n_hi, n_lo"
		sums = fmt.Sprintf("SUM(d.v_hi) + SUM(d.v_lo) / %[1]d, SUM(d.v_lo) %% %[1]d, SUM(d.n_hi) + SUM(d.n_lo) / %[1]d, SUM(d.n_lo) %% %[1]d", loBase)
	} else {
		cols = "value, n"
		sums = "SUM(d.value), SUM(d.n)"
	}
	_, err := t.exec(ctx, "INSERT INTO "+d+" (tenant, scope, metric, unit, day, "+cols+") "+
		"SELECT d.tenant, 't', d.metric, c.ancestor, d.day, "+sums+
		" FROM "+d+" d JOIN "+c+" c ON c.tenant = d.tenant AND c.unit = d.unit"+
		" WHERE d.tenant = ? AND d.scope = 's' AND c.ancestor IN (SELECT i.ancestor FROM "+c+" i WHERE i.tenant = ? AND i.depth > 0)"+
		" GROUP BY d.tenant, d.metric, c.ancestor, d.day", t.s.cfg.Tenant, t.s.cfg.Tenant)
	return err
}

func (t *tx) ListUnits(ctx context.Context) ([]goal.Unit, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	rows, err := t.query(ctx, "SELECT id, parent, kind, name, active_from, active_until FROM "+t.s.t.units+" WHERE tenant = ? ORDER BY pos", t.s.cfg.Tenant)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	defer rows.Close()
	out := []goal.Unit{}
	for rows.Next() {
		var u goal.Unit
		if err := rows.Scan(&u.ID, &u.Parent, &u.Kind, &u.Name, dayScan{&u.ActiveFrom}, dayScan{&u.ActiveUntil}); err != nil {
			return nil, fmt.Errorf("sqlstore: list units: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	return out, nil
}
