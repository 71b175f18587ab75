package sqlstore

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
)

// UpdatePlan rewrites only the goal rows that changed when the plan keeps
// its shape (as many goals, the same goal ID at every position: a new
// target, a re-plan of targets, a rebalance), so one new target on a plan
// of 10,000 goals touches one row, not 20,000 (a delete and an insert of
// each). A plan whose goals were added, removed or reordered is written
// whole: its rows deleted and inserted again.
//
// A row counts as changed when any stored column differs from what the
// store would write for the goal, decimals compared as the text written
// (so a target reads back with the digits it was written with).

// updateGoals brings the plan's stored goal rows to p's goals.
func (t *tx) updateGoals(ctx context.Context, p *goal.Plan) error {
	var same bool
	var err error
	if t.s.d.Dialect == PostgreSQL {
		same, err = t.updateChangedPG(ctx, p)
	} else {
		same, err = t.updateChangedSQLite(ctx, p)
	}
	if err != nil || same {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.goals+" WHERE tenant = ? AND plan = ?", t.s.cfg.Tenant, p.ID); err != nil {
		return err
	}
	return t.insertGoals(ctx, p)
}

// updateChangedPG is updateGoals' first step on PostgreSQL, in one
// statement: the goals travel as array parameters (pgArray), the UPDATE
// rewrites the stored rows whose position and ID match and whose columns
// differ, and the statement returns whether the stored rows had p's shape
// (as many rows, every position's ID matching). When they had not, the
// rows it updated are deleted by the fallback.
func (t *tx) updateChangedPG(ctx context.Context, p *goal.Plan) (same bool, err error) {
	if len(p.Goals) > pgChunk {
		return false, nil // beyond one statement's parameters: written whole
	}
	var cols [12]pgArray
	for _, g := range p.Goals {
		cols[0].add(g.ID)
		cols[1].add(g.Parent)
		cols[2].add(g.Metric)
		cols[3].add(g.Unit)
		cols[4].add(strconv.Itoa(int(g.Period.Grain)))
		cols[5].addDay(g.Period.Start)
		cols[6].addDay(g.Period.End)
		cols[7].add(g.Period.Label)
		cols[8].addDecimal(g.Target)
		cols[9].addNullable(nullDecArg(g.Stretch))
		cols[10].addNullable(nullDecArg(g.Floor))
		cols[11].add(strconv.FormatBool(g.Locked))
	}
	tenant, goals := t.s.cfg.Tenant, t.s.t.goals
	mine := "g.tenant = ? AND g.plan = ?"
	q := "WITH x AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::date[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bool[]) " +
		"WITH ORDINALITY AS x(id, parent, metric, unit, grain, s, e, label, target, stretch, floor, locked, n)), " +
		"upd AS (UPDATE " + goals + " AS g SET parent = x.parent, metric = x.metric, unit = x.unit, grain = x.grain, start_day = x.s, end_day = x.e, " +
		"label = x.label, target = x.target::numeric, stretch = x.stretch::numeric, floor = x.floor::numeric, locked = x.locked " +
		"FROM x WHERE " + mine + " AND g.pos = x.n - 1 AND g.id = x.id AND " +
		"(g.parent, g.metric, g.unit, g.grain, g.start_day, g.end_day, g.label, g.target::text, g.stretch::text, g.floor::text, g.locked) IS DISTINCT FROM " +
		"(x.parent, x.metric, x.unit, x.grain, x.s, x.e, x.label, x.target, x.stretch, x.floor, x.locked) RETURNING 1) " +
		"SELECT (SELECT count(*) FROM " + goals + " AS g WHERE " + mine + "), " +
		"(SELECT count(*) FROM x JOIN " + goals + " AS g ON " + mine + " AND g.pos = x.n - 1 AND g.id = x.id), " +
		"(SELECT count(*) FROM upd)"
	args := make([]any, 0, len(cols)+6)
	for i := range cols {
		args = append(args, cols[i].String())
	}
	args = append(args, tenant, p.ID, tenant, p.ID, tenant, p.ID)
	var stored, matched, updated int
	if err := t.queryRow(ctx, q, args...).Scan(&stored, &matched, &updated); err != nil {
		return false, err
	}
	return stored == len(p.Goals) && matched == len(p.Goals), nil
}

// goalRow is a goal row as stored, its decimals as their text.
type goalRow struct {
	id, parent, metric, unit, label string
	grain                           int
	start, end                      date.Date
	target                          string
	stretch, floor                  sql.NullString
	locked                          bool
}

// rowOf is the row the store writes for g.
func rowOf(g goal.Goal) goalRow {
	r := goalRow{id: g.ID, parent: g.Parent, metric: g.Metric, unit: g.Unit, label: g.Period.Label,
		grain: int(g.Period.Grain), start: g.Period.Start, end: g.Period.End, target: g.Target.String(), locked: g.Locked}
	if g.Stretch.Valid {
		r.stretch = sql.NullString{String: g.Stretch.Decimal.String(), Valid: true}
	}
	if g.Floor.Valid {
		r.floor = sql.NullString{String: g.Floor.Decimal.String(), Valid: true}
	}
	return r
}

// updateChangedSQLite is updateGoals' first step on SQLite, where reading
// is a call into the same process: it reads the stored rows, compares
// them with p's in Go and, if they have p's shape, updates the changed
// ones with one prepared statement.
func (t *tx) updateChangedSQLite(ctx context.Context, p *goal.Plan) (same bool, err error) {
	rows, err := t.query(ctx, "SELECT id, parent, metric, unit, grain, start_day, end_day, label, target, stretch, floor, locked FROM "+
		t.s.t.goals+" WHERE tenant = ? AND plan = ? ORDER BY pos", t.s.cfg.Tenant, p.ID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var changed []int
	i := 0
	for rows.Next() {
		var r goalRow
		if err := rows.Scan(&r.id, &r.parent, &r.metric, &r.unit, &r.grain, dayScan{&r.start}, dayScan{&r.end},
			&r.label, &r.target, &r.stretch, &r.floor, &r.locked); err != nil {
			return false, err
		}
		if i >= len(p.Goals) || r.id != p.Goals[i].ID {
			return false, nil
		}
		if r != rowOf(p.Goals[i]) {
			changed = append(changed, i)
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if i != len(p.Goals) {
		return false, nil
	}
	rows.Close()
	for _, i := range changed {
		g := p.Goals[i]
		_, err := t.execMany(ctx, true, "UPDATE "+t.s.t.goals+" SET parent = ?, metric = ?, unit = ?, grain = ?, start_day = ?, end_day = ?, label = ?, "+
			"target = ?, stretch = ?, floor = ?, locked = ? WHERE tenant = ? AND plan = ? AND pos = ?",
			g.Parent, g.Metric, g.Unit, int(g.Period.Grain), dayArg(g.Period.Start), dayArg(g.Period.End), g.Period.Label,
			decArg(g.Target), nullDecArg(g.Stretch), nullDecArg(g.Floor), g.Locked, t.s.cfg.Tenant, p.ID, i)
		if err != nil {
			return false, err
		}
	}
	return true, nil
}
