package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

const unitCols = "id, parent, kind, name, active_from, active_until, earlier, internal"

func (t *tx) PutUnits(ctx context.Context, units []goal.Unit) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	if err := record.CheckUnits(units); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	units = record.CloneUnits(units)
	org, err := rollup.NewOrg(units, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	err = t.atomic(ctx, func() error { return t.putUnits(ctx, units, org) })
	if err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	return nil
}

func (t *tx) putUnits(ctx context.Context, units []goal.Unit, org *rollup.Org) error {
	old, err := t.readUnits(ctx, nil, nil)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.units+" WHERE tenant = ?", t.s.cfg.Tenant); err != nil {
		return err
	}
	if err := t.insertUnits(ctx, units, 0, org); err != nil {
		return err
	}
	if _, err := t.bumpOrg(ctx); err != nil {
		return err
	}
	if record.SameTree(old, units) {
		return nil
	}
	return t.rebuildTree(ctx, org)
}

// insertUnits inserts units at positions from pos on.
func (t *tx) insertUnits(ctx context.Context, units []goal.Unit, pos int, org *rollup.Org) error {
	return chunk(len(units), 500, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*10)
		for i := lo; i < hi; i++ {
			u := units[i]
			args = append(args, t.s.cfg.Tenant, u.ID, pos+i, u.Parent, u.Kind, u.Name, dayArg(u.ActiveFrom), dayArg(u.ActiveUntil),
				encodeEarlier(u.Earlier), org.Internal(u.ID))
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.units+" (tenant, id, pos, parent, kind, name, active_from, active_until, earlier, internal) VALUES "+placeholders(hi-lo, 10), args...)
		return err
	})
}

// bumpOrg adds one to the tenant's org version and returns it.
func (t *tx) bumpOrg(ctx context.Context) (int64, error) {
	var v int64
	err := t.queryRow(ctx, "INSERT INTO "+t.s.t.org+" (tenant, version) VALUES (?, 1) ON CONFLICT (tenant) DO UPDATE SET version = "+
		t.s.t.org+".version + 1 RETURNING version", t.s.cfg.Tenant).Scan(&v)
	return v, err
}

func (t *tx) orgVersion(ctx context.Context) (int64, error) {
	var v int64
	err := t.queryRow(ctx, "SELECT version FROM "+t.s.t.org+" WHERE tenant = ?", t.s.cfg.Tenant).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

func (t *tx) OrgVersion(ctx context.Context) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: org version: %w", err)
	}
	v, err := t.orgVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: org version: %w", err)
	}
	return v, nil
}

// EditOrg reads the whole org to validate the edit (O(units)), then writes
// the edited rows and moves the subtree buckets of the moved unit only.
func (t *tx) EditOrg(ctx context.Context, e goal.OrgEdit, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: edit org: %w", err)
	}
	var v int64
	err := t.atomic(ctx, func() (err error) {
		v, err = t.editOrg(ctx, e, expected)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: edit org: %w", err)
	}
	return v, nil
}

func (t *tx) editOrg(ctx context.Context, e goal.OrgEdit, expected int64) (int64, error) {
	// The version row is locked first, so concurrent edits queue here.
	v, err := t.bumpOrg(ctx)
	if err != nil {
		return 0, err
	}
	if v-1 != expected {
		return 0, rollup.StaleOrg(e, v-1, expected)
	}
	units, err := t.readUnits(ctx, nil, nil)
	if err != nil {
		return 0, err
	}
	ed, err := rollup.NewEdit(units, e)
	if err != nil {
		return 0, err
	}
	d := rollup.Deltas{}
	if ed.Promoted != "" {
		err := t.eachBucket(ctx, rollup.Self, ed.Promoted, func(metric string, day date.Date, v, n decimal.Decimal) {
			d.Promote(metric, ed.Promoted, day, v, n)
		})
		if err != nil {
			return 0, err
		}
	}
	if ed.Moved != "" {
		err := t.eachBucket(ctx, ed.MovedScope, ed.Moved, func(metric string, day date.Date, v, n decimal.Decimal) {
			d.Move(metric, ed.Moved, day, v, n, ed.Old, ed.New)
		})
		if err != nil {
			return 0, err
		}
	}
	// Write the edited unit's row (and the promoted parent's flag).
	id := e.UnitID()
	if len(ed.Units) > len(units) {
		if err := t.insertUnits(ctx, ed.Units[len(units):], len(units), ed.New); err != nil {
			return 0, err
		}
	} else {
		for _, u := range ed.Units {
			if u.ID != id {
				continue
			}
			_, err := t.exec(ctx, "UPDATE "+t.s.t.units+" SET parent = ?, active_until = ?, earlier = ? WHERE tenant = ? AND id = ?",
				u.Parent, dayArg(u.ActiveUntil), encodeEarlier(u.Earlier), t.s.cfg.Tenant, id)
			if err != nil {
				return 0, err
			}
		}
	}
	if ed.Promoted != "" {
		if _, err := t.exec(ctx, "UPDATE "+t.s.t.units+" SET internal = ? WHERE tenant = ? AND id = ?", true, t.s.cfg.Tenant, ed.Promoted); err != nil {
			return 0, err
		}
	}
	return v, t.applyDeltas(ctx, d)
}

// rebuildTree recomputes every subtree bucket from the units' own buckets
// and org, reading each own bucket once: O(buckets × depth).
func (t *tx) rebuildTree(ctx context.Context, org *rollup.Org) error {
	d := rollup.Deltas{}
	err := t.eachSelf(ctx, func(metric, unit string, day date.Date, v, n decimal.Decimal) {
		d.AddTree(metric, unit, day, v, n, org)
	})
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.daily+" WHERE tenant = ? AND scope = 't'", t.s.cfg.Tenant); err != nil {
		return err
	}
	if t.s.cfg.Dialect == PostgreSQL {
		if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.monthly+" WHERE tenant = ? AND scope = 't'", t.s.cfg.Tenant); err != nil {
			return err
		}
	}
	return t.applyDeltas(ctx, d)
}

// eachBucket calls fn with every bucket of one unit's series of a scope.
func (t *tx) eachBucket(ctx context.Context, scope rollup.Scope, unit string, fn func(metric string, day date.Date, v, n decimal.Decimal)) error {
	return t.scanBuckets(ctx, " AND scope = ? AND unit = ?", []any{string(scope), unit}, func(metric, _ string, day date.Date, v, n decimal.Decimal) {
		fn(metric, day, v, n)
	})
}

// eachSelf calls fn with every own (scope 's') bucket of the tenant.
func (t *tx) eachSelf(ctx context.Context, fn func(metric, unit string, day date.Date, v, n decimal.Decimal)) error {
	return t.scanBuckets(ctx, " AND scope = ?", []any{string(rollup.Self)}, fn)
}

func (t *tx) scanBuckets(ctx context.Context, where string, args []any, fn func(metric, unit string, day date.Date, v, n decimal.Decimal)) error {
	cols := "value, n"
	sqlite := t.s.cfg.Dialect == SQLite
	if sqlite {
		cols = "v_hi, v_lo, n_hi, n_lo"
	}
	rows, err := t.query(ctx, "SELECT metric, unit, day, "+cols+" FROM "+t.s.t.daily+" WHERE tenant = ?"+where,
		append([]any{t.s.cfg.Tenant}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var metric, unit string
	var day date.Date
	ts := newTotalScan(sqlite)
	for rows.Next() {
		if err := rows.Scan(ts.dest(&metric, &unit, dayScan{&day})...); err != nil {
			return err
		}
		v, n := ts.total()
		fn(metric, unit, day, v, n)
	}
	return rows.Err()
}

func (t *tx) ListUnits(ctx context.Context) ([]goal.Unit, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	out, err := t.readUnits(ctx, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	if out == nil {
		out = []goal.Unit{}
	}
	return out, nil
}

// readUnits returns the tenant's units (those with the given IDs when ids
// is not nil) in stored order, and records in internal (if not nil) which
// of them have descendants.
func (t *tx) readUnits(ctx context.Context, ids []string, internal map[string]bool) ([]goal.Unit, error) {
	return t.scanUnits(ctx, ids, internal, false)
}

// scanUnits is readUnits, with the units' ancestors today (their parents,
// their parents' parents, …) as well when up is set, in one statement.
func (t *tx) scanUnits(ctx context.Context, ids []string, internal map[string]bool, up bool) ([]goal.Unit, error) {
	var out []goal.Unit
	read := func(where string, args ...any) error {
		q := "SELECT " + unitCols + " FROM " + t.s.t.units + " WHERE tenant = ?" + where + " ORDER BY pos"
		args = append([]any{t.s.cfg.Tenant}, args...)
		if up {
			q = "WITH RECURSIVE up(id) AS (SELECT id FROM " + t.s.t.units + " WHERE tenant = ?" + where +
				" UNION SELECT u.parent FROM " + t.s.t.units + " u JOIN up ON u.id = up.id WHERE u.tenant = ? AND u.parent <> '')" +
				" SELECT " + unitCols + " FROM " + t.s.t.units + " WHERE tenant = ? AND id IN (SELECT id FROM up) ORDER BY pos"
			args = append(args, t.s.cfg.Tenant, t.s.cfg.Tenant)
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u goal.Unit
			var earlier *string
			var in bool
			if err := rows.Scan(&u.ID, &u.Parent, &u.Kind, &u.Name, dayScan{&u.ActiveFrom}, dayScan{&u.ActiveUntil}, &earlier, &in); err != nil {
				return err
			}
			if u.Earlier, err = decodeEarlier(earlier); err != nil {
				return fmt.Errorf("unit %q: %w", u.ID, err)
			}
			if internal != nil && in {
				internal[u.ID] = true
			}
			out = append(out, u)
		}
		return rows.Err()
	}
	if ids == nil {
		return out, read("")
	}
	err := chunk(len(ids), factChunk, func(lo, hi int) error {
		args := make([]any, hi-lo)
		for i, id := range ids[lo:hi] {
			args[i] = id
		}
		return read(" AND id IN "+placeholders(1, hi-lo), args...)
	})
	return out, err
}

// orgFor loads what rollup needs for facts crediting units: those units and
// their ancestors on any day, with the stored internal flags. One recursive
// statement reads the units and their ancestors today; a unit that moved
// adds a round for its earlier parents. It reads nothing else of the org,
// so ingest costs do not grow with the org.
func (t *tx) orgFor(ctx context.Context, units []string) (*rollup.Org, error) {
	internal := map[string]bool{}
	loaded, have := make(map[string]bool, len(units)), map[string]bool{}
	var all []goal.Unit
	want := units
	for round := 0; len(want) > 0 && round <= goal.MaxDepth+1; round++ {
		for _, u := range want {
			loaded[u] = true
		}
		got, err := t.scanUnits(ctx, want, internal, true)
		if err != nil {
			return nil, err
		}
		want = nil
		for _, u := range got {
			loaded[u.ID] = true
		}
		for _, u := range got {
			if have[u.ID] {
				continue // an ancestor shared by two chunks of want
			}
			have[u.ID] = true
			all = append(all, u)
			for _, p := range parentsOf(u) {
				if p != "" && !loaded[p] {
					loaded[p] = true
					want = append(want, p)
				}
			}
		}
	}
	return rollup.NewOrg(all, internal)
}

// parentsOf returns the unit's parents on any day.
func parentsOf(u goal.Unit) []string {
	out := []string{u.Parent}
	for _, e := range u.Earlier {
		out = append(out, e.Parent)
	}
	return out
}

// internalOf returns which of units have descendants, reading their flags
// only.
func (t *tx) internalOf(ctx context.Context, units []string) (map[string]bool, error) {
	out := map[string]bool{}
	err := chunk(len(units), factChunk, func(lo, hi int) error {
		args := []any{t.s.cfg.Tenant, true}
		for _, u := range units[lo:hi] {
			args = append(args, u)
		}
		rows, err := t.query(ctx, "SELECT id FROM "+t.s.t.units+" WHERE tenant = ? AND internal = ? AND id IN "+placeholders(1, hi-lo), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				return err
			}
			out[u] = true
		}
		return rows.Err()
	})
	return out, err
}
