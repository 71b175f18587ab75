package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
)

// planBodyVersion is the version of the encoding of a kept plan (a plan
// version's or a scenario's body).
const planBodyVersion = 1

// planBody is a kept plan as stored: {"v": 1, "plan": goal.Plan's JSON}.
type planBody struct {
	V    int             `json:"v"`
	Plan json.RawMessage `json:"plan"`
}

// encodePlanBody writes planBody's JSON around the plan's own, without
// encoding the plan twice.
func encodePlanBody(p *goal.Plan) (string, error) {
	raw, err := p.MarshalJSON()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`{"v":%d,"plan":%s}`, planBodyVersion, raw), nil
}

// decodePlanBody reads what encodePlanBody writes, strictly: another
// version, an unknown field or trailing data is an error.
func decodePlanBody(s string) (*goal.Plan, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var b planBody
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("read stored plan: %w", err)
	}
	if dec.More() {
		return nil, errors.New("read stored plan: trailing data after the plan")
	}
	if b.V != planBodyVersion {
		return nil, fmt.Errorf("read stored plan: encoding version %d is not %d; upgrade goalkit to read it", b.V, planBodyVersion)
	}
	p := new(goal.Plan)
	if err := json.Unmarshal(b.Plan, p); err != nil {
		return nil, fmt.Errorf("read stored plan: %w", err)
	}
	return p, nil
}

func (t *tx) versionTables() (versions, snapshots, scenarios string) {
	p := t.s.cfg.TablePrefix
	return p + "plan_versions", p + "plan_snapshots", p + "plan_scenarios"
}

func (t *tx) PutPlanVersion(ctx context.Context, v storage.PlanVersion, p *goal.Plan) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put plan version: %w", err)
	}
	rec, kept, err := record.CheckPlanVersion(v, p)
	if err != nil {
		return fmt.Errorf("sqlstore: put plan version: %w", err)
	}
	body, err := encodePlanBody(kept)
	if err != nil {
		return fmt.Errorf("sqlstore: put version %d of plan %q: %w", rec.Version, rec.Plan, err)
	}
	versions, _, _ := t.versionTables()
	res, err := t.exec(ctx, "INSERT INTO "+versions+" (tenant, plan, version, at, actor, reason, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, plan, version) DO NOTHING",
		t.s.cfg.Tenant, rec.Plan, rec.Version, t.s.d.timeArg(rec.At), rec.Actor, rec.Reason, body)
	if err == nil {
		err = inserted(res, "it is recorded already")
	}
	if err != nil {
		return fmt.Errorf("sqlstore: put version %d of plan %q: %w", rec.Version, rec.Plan, err)
	}
	return nil
}

// inserted turns an insert that touched no row into ErrDuplicate.
func inserted(res sql.Result, why string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", why, storage.ErrDuplicate)
	}
	return nil
}

func (t *tx) GetPlanVersion(ctx context.Context, planID string, version int64) (*goal.Plan, storage.PlanVersion, error) {
	rec := storage.PlanVersion{Plan: planID, Version: version}
	if err := t.check(ctx); err != nil {
		return nil, rec, fmt.Errorf("sqlstore: get version %d of plan %q: %w", version, planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, rec, fmt.Errorf("sqlstore: get plan version: %w", err)
	}
	versions, _, _ := t.versionTables()
	var body string
	err := t.queryRow(ctx, "SELECT at, actor, reason, body FROM "+versions+" WHERE tenant = ? AND plan = ? AND version = ?",
		t.s.cfg.Tenant, planID, version).Scan(timeScan{&rec.At}, &rec.Actor, &rec.Reason, &body)
	if errors.Is(err, sql.ErrNoRows) {
		err = storage.ErrNotFound
	}
	var p *goal.Plan
	if err == nil {
		p, err = decodePlanBody(body)
	}
	if err != nil {
		return nil, rec, fmt.Errorf("sqlstore: get version %d of plan %q: %w", version, planID, err)
	}
	p.Version = version
	return p, rec, nil
}

func (t *tx) ListPlanVersions(ctx context.Context, planID string) ([]storage.PlanVersion, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list versions of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list plan versions: %w", err)
	}
	versions, _, _ := t.versionTables()
	out, err := scanAll(t, ctx, "SELECT version, at, actor, reason FROM "+versions+" WHERE tenant = ? AND plan = ? ORDER BY version",
		func(rows *sql.Rows) (storage.PlanVersion, error) {
			v := storage.PlanVersion{Plan: planID}
			return v, rows.Scan(&v.Version, timeScan{&v.At}, &v.Actor, &v.Reason)
		}, t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list versions of plan %q: %w", planID, err)
	}
	return out, nil
}

// scanAll runs a query and returns one value per row, made by scan; an
// empty slice when there are none.
func scanAll[T any](t *tx, ctx context.Context, q string, scan func(*sql.Rows) (T, error), args ...any) ([]T, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (t *tx) PutSnapshot(ctx context.Context, s storage.Snapshot) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: put snapshot: %w", err)
	}
	s, err := record.CheckSnapshot(s)
	if err != nil {
		return fmt.Errorf("sqlstore: put snapshot: %w", err)
	}
	versions, snapshots, _ := t.versionTables()
	err = t.atomic(ctx, func() error {
		var one int
		err := t.queryRow(ctx, "SELECT 1 FROM "+versions+" WHERE tenant = ? AND plan = ? AND version = ?", t.s.cfg.Tenant, s.Plan, s.Version).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("version %d is not recorded: %w", s.Version, storage.ErrNotFound)
		} else if err != nil {
			return err
		}
		res, err := t.exec(ctx, "INSERT INTO "+snapshots+" (tenant, plan, name, version, at, actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, plan, name) DO NOTHING",
			t.s.cfg.Tenant, s.Plan, s.Name, s.Version, t.s.d.timeArg(s.At), s.Actor, s.Reason)
		if err != nil {
			return err
		}
		return inserted(res, "the name is taken")
	})
	if err != nil {
		return fmt.Errorf("sqlstore: put snapshot %q of plan %q: %w", s.Name, s.Plan, err)
	}
	return nil
}

func (t *tx) ListSnapshots(ctx context.Context, planID string) ([]storage.Snapshot, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list snapshots of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list snapshots: %w", err)
	}
	_, snapshots, _ := t.versionTables()
	out, err := scanAll(t, ctx, "SELECT name, version, at, actor, reason FROM "+snapshots+" WHERE tenant = ? AND plan = ? ORDER BY at, name",
		func(rows *sql.Rows) (storage.Snapshot, error) {
			s := storage.Snapshot{Plan: planID}
			return s, rows.Scan(&s.Name, &s.Version, timeScan{&s.At}, &s.Actor, &s.Reason)
		}, t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list snapshots of plan %q: %w", planID, err)
	}
	return out, nil
}

func (t *tx) PrunePlanVersions(ctx context.Context, planID string, cutoff time.Time) (int, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: prune versions of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return 0, fmt.Errorf("sqlstore: prune plan versions: %w", err)
	}
	versions, snapshots, _ := t.versionTables()
	tenant, at := t.s.cfg.Tenant, t.s.d.timeArg(cutoff)
	res, err := t.exec(ctx, "DELETE FROM "+versions+" WHERE tenant = ? AND plan = ? AND at < ?"+
		" AND version < (SELECT MAX(version) FROM "+versions+" WHERE tenant = ? AND plan = ? AND at <= ?)"+
		" AND version NOT IN (SELECT version FROM "+snapshots+" WHERE tenant = ? AND plan = ?)",
		tenant, planID, at, tenant, planID, at, tenant, planID)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: prune versions of plan %q: %w", planID, err)
	}
	return int(n), nil
}

func (t *tx) PutScenario(ctx context.Context, s storage.Scenario, expected int64) (int64, error) {
	if err := t.check(ctx); err != nil {
		return 0, fmt.Errorf("sqlstore: put scenario: %w", err)
	}
	s, err := record.CheckScenario(s)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: put scenario: %w", err)
	}
	planID := s.Plan.ID
	body, err := encodePlanBody(s.Plan)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: put scenario %q of plan %q: %w", s.Name, planID, err)
	}
	_, _, scenarios := t.versionTables()
	tenant, at := t.s.cfg.Tenant, t.s.d.timeArg(s.At)
	err = t.atomic(ctx, func() error {
		var (
			res sql.Result
			err error
		)
		if expected == 0 {
			res, err = t.exec(ctx, "INSERT INTO "+scenarios+" (tenant, plan, name, base, version, at, actor, reason, body) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (tenant, plan, name) DO NOTHING",
				tenant, planID, s.Name, s.Base, at, s.Actor, s.Reason, body)
		} else {
			res, err = t.exec(ctx, "UPDATE "+scenarios+" SET base = ?, version = version + 1, at = ?, actor = ?, reason = ?, body = ? WHERE tenant = ? AND plan = ? AND name = ? AND version = ?",
				s.Base, at, s.Actor, s.Reason, body, tenant, planID, s.Name, expected)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		var stored int64
		err = t.queryRow(ctx, "SELECT version FROM "+scenarios+" WHERE tenant = ? AND plan = ? AND name = ?", tenant, planID, s.Name).Scan(&stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return record.ScenarioConflict(planID, s.Name, stored, expected)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: put scenario %q of plan %q: %w", s.Name, planID, err)
	}
	return expected + 1, nil
}

// scenarioCols are the columns scanScenario reads, in its order.
const scenarioCols = "name, base, version, at, actor, reason, body"

func scanScenario(rows interface{ Scan(...any) error }) (storage.Scenario, error) {
	var (
		s    storage.Scenario
		body string
	)
	if err := rows.Scan(&s.Name, &s.Base, &s.Version, timeScan{&s.At}, &s.Actor, &s.Reason, &body); err != nil {
		return s, err
	}
	p, err := decodePlanBody(body)
	if err != nil {
		return s, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	p.Version, s.Plan = s.Base, p
	return s, nil
}

func (t *tx) GetScenario(ctx context.Context, planID, name string) (storage.Scenario, error) {
	if err := t.check(ctx); err != nil {
		return storage.Scenario{}, fmt.Errorf("sqlstore: get scenario %q of plan %q: %w", name, planID, err)
	}
	if err := errors.Join(record.CheckRef("plan", planID), record.CheckRef("scenario", name)); err != nil {
		return storage.Scenario{}, fmt.Errorf("sqlstore: get scenario: %w", err)
	}
	_, _, scenarios := t.versionTables()
	s, err := scanScenario(t.queryRow(ctx, "SELECT "+scenarioCols+" FROM "+scenarios+" WHERE tenant = ? AND plan = ? AND name = ?", t.s.cfg.Tenant, planID, name))
	if errors.Is(err, sql.ErrNoRows) {
		err = storage.ErrNotFound
	}
	if err != nil {
		return storage.Scenario{}, fmt.Errorf("sqlstore: get scenario %q of plan %q: %w", name, planID, err)
	}
	return s, nil
}

func (t *tx) ListScenarios(ctx context.Context, planID string) ([]storage.Scenario, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: list scenarios of plan %q: %w", planID, err)
	}
	if err := record.CheckRef("plan", planID); err != nil {
		return nil, fmt.Errorf("sqlstore: list scenarios: %w", err)
	}
	_, _, scenarios := t.versionTables()
	out, err := scanAll(t, ctx, "SELECT "+scenarioCols+" FROM "+scenarios+" WHERE tenant = ? AND plan = ? ORDER BY name",
		func(rows *sql.Rows) (storage.Scenario, error) { return scanScenario(rows) }, t.s.cfg.Tenant, planID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list scenarios of plan %q: %w", planID, err)
	}
	return out, nil
}

func (t *tx) DeleteScenario(ctx context.Context, planID, name string) error {
	if err := t.check(ctx); err != nil {
		return fmt.Errorf("sqlstore: delete scenario %q of plan %q: %w", name, planID, err)
	}
	if err := errors.Join(record.CheckRef("plan", planID), record.CheckRef("scenario", name)); err != nil {
		return fmt.Errorf("sqlstore: delete scenario: %w", err)
	}
	_, _, scenarios := t.versionTables()
	res, err := t.exec(ctx, "DELETE FROM "+scenarios+" WHERE tenant = ? AND plan = ? AND name = ?", t.s.cfg.Tenant, planID, name)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = storage.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("sqlstore: delete scenario %q of plan %q: %w", name, planID, err)
	}
	return nil
}
