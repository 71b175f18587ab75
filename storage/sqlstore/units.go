package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/rollup"
)

const unitCols = "id, parent, kind, name, active_from, active_until, earlier"

func (t *tx) PutUnits(ctx context.Context, units []goal.Unit) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	if err := record.CheckUnits(units); err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	units = record.CloneUnits(units)
	if _, err := rollup.NewOrg(units, nil); err != nil { // refuses orgs deeper than goal.MaxDepth
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	err := t.atomic(ctx, func() error { return t.putUnits(ctx, units) })
	if err != nil {
		return fmt.Errorf("sqlstore: put units: %w", err)
	}
	return nil
}

// putUnits replaces the units. The totals are own buckets, summed up the
// org when read, so nothing else changes.
func (t *tx) putUnits(ctx context.Context, units []goal.Unit) error {
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.units+" WHERE tenant = ?", t.s.cfg.Tenant); err != nil {
		return err
	}
	if err := t.insertUnits(ctx, units, 0); err != nil {
		return err
	}
	_, err := t.bumpOrg(ctx)
	return err
}

// insertUnits inserts units at positions from pos on.
func (t *tx) insertUnits(ctx context.Context, units []goal.Unit, pos int) error {
	return chunk(len(units), 500, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*9)
		for i := lo; i < hi; i++ {
			u := units[i]
			args = append(args, t.s.cfg.Tenant, u.ID, pos+i, u.Parent, u.Kind, u.Name, dayArg(u.ActiveFrom), dayArg(u.ActiveUntil),
				encodeEarlier(u.Earlier))
		}
		_, err := t.exec(ctx, "INSERT INTO "+t.s.t.units+" (tenant, id, pos, parent, kind, name, active_from, active_until, earlier) VALUES "+placeholders(hi-lo, 9), args...)
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
// the edited unit's row. No total changes: subtree totals are summed from
// the own buckets along the org's history when read.
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
	units, err := t.readUnits(ctx)
	if err != nil {
		return 0, err
	}
	ed, err := rollup.NewEdit(units, e)
	if err != nil {
		return 0, err
	}
	// Write the edited unit's row, or the added one.
	id := e.UnitID()
	if len(ed.Units) > len(units) {
		if err := t.insertUnits(ctx, ed.Units[len(units):], len(units)); err != nil {
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
	return v, nil
}

func (t *tx) ListUnits(ctx context.Context) ([]goal.Unit, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	out, err := t.readUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list units: %w", err)
	}
	if out == nil {
		out = []goal.Unit{}
	}
	return out, nil
}

// readUnits returns the tenant's units in stored order.
func (t *tx) readUnits(ctx context.Context) ([]goal.Unit, error) {
	rows, err := t.query(ctx, "SELECT "+unitCols+" FROM "+t.s.t.units+" WHERE tenant = ? ORDER BY pos", t.s.cfg.Tenant)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []goal.Unit
	for rows.Next() {
		var u goal.Unit
		var earlier *string
		if err := rows.Scan(&u.ID, &u.Parent, &u.Kind, &u.Name, dayScan{&u.ActiveFrom}, dayScan{&u.ActiveUntil}, &earlier); err != nil {
			return nil, err
		}
		if u.Earlier, err = decodeEarlier(earlier); err != nil {
			return nil, fmt.Errorf("unit %q: %w", u.ID, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
