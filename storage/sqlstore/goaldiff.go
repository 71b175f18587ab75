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
// of 10,000 goals writes one row, not 20,000 (a delete and an insert of
// each). A plan whose goals were added, removed or reordered is written
// whole: its rows deleted and inserted again.
//
// The store reads the stored rows and compares them with the plan's in Go,
// then writes the changed rows set-wise (PostgreSQL: one UPDATE from array
// parameters; SQLite, in the same process: one prepared UPDATE a row).
// Sending every goal as arrays and comparing in one PostgreSQL statement
// was measured slower (see docs/ARCHITECTURE.md). A row counts as changed
// when any stored column differs from what the store would write for the
// goal, decimals compared as the text written, so a goal reads back with
// the digits it was written with.

// updateGoals brings the plan's stored goal rows, stored of them, to p's
// goals.
func (t *tx) updateGoals(ctx context.Context, p *goal.Plan, stored int) error {
	var changed []int
	same := stored == len(p.Goals)
	if same {
		var err error
		if changed, same, err = t.changedGoals(ctx, p); err != nil {
			return err
		}
	}
	switch {
	case !same, t.s.d.Dialect == SQLite && 2*len(changed) > len(p.Goals):
		// In SQLite an UPDATE a row costs more than the delete and the
		// multi-row inserts of a rewrite once most rows changed.
		return t.rewriteGoals(ctx, p)
	case t.s.d.Dialect == PostgreSQL:
		return t.updateRowsPG(ctx, p, changed)
	}
	return t.updateRowsSQLite(ctx, p, changed)
}

// rewriteGoals replaces the plan's goal rows and their count.
func (t *tx) rewriteGoals(ctx context.Context, p *goal.Plan) error {
	tenant := t.s.cfg.Tenant
	if _, err := t.exec(ctx, "UPDATE "+t.s.t.plans+" SET goals = ? WHERE tenant = ? AND id = ?", len(p.Goals), tenant, p.ID); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM "+t.s.t.goals+" WHERE tenant = ? AND plan = ?", tenant, p.ID); err != nil {
		return err
	}
	return t.insertGoals(ctx, p)
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

// changedGoals reads the plan's stored goal rows and compares them with
// p's: same reports whether they have p's shape (as many rows, p's goal ID
// at every position), and changed lists, in order, the positions whose
// rows differ.
func (t *tx) changedGoals(ctx context.Context, p *goal.Plan) (changed []int, same bool, err error) {
	rows, err := t.query(ctx, "SELECT id, parent, metric, unit, grain, start_day, end_day, label, target, stretch, floor, locked FROM "+
		t.s.t.goals+" WHERE tenant = ? AND plan = ? ORDER BY pos", t.s.cfg.Tenant, p.ID)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var r goalRow
		if err := rows.Scan(&r.id, &r.parent, &r.metric, &r.unit, &r.grain, dayScan{&r.start}, dayScan{&r.end},
			&r.label, &r.target, &r.stretch, &r.floor, &r.locked); err != nil {
			return nil, false, err
		}
		if i >= len(p.Goals) || r.id != p.Goals[i].ID {
			return nil, false, nil
		}
		if r != rowOf(p.Goals[i]) {
			changed = append(changed, i)
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	return changed, i == len(p.Goals), nil
}

// updateRowsPG rewrites the goal rows at the changed positions of p in
// one statement per pgChunk rows, the rows sent as array parameters
// (pgArray).
func (t *tx) updateRowsPG(ctx context.Context, p *goal.Plan, changed []int) error {
	q := "UPDATE " + t.s.t.goals + " AS g SET parent = x.parent, metric = x.metric, unit = x.unit, grain = x.grain, start_day = x.s, end_day = x.e, " +
		"label = x.label, target = x.target, stretch = x.stretch, floor = x.floor, locked = x.locked " +
		"FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::int[], ?::date[], ?::date[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[], ?::bool[]) " +
		"AS x(pos, parent, metric, unit, grain, s, e, label, target, stretch, floor, locked) WHERE g.tenant = ? AND g.plan = ? AND g.pos = x.pos"
	return chunk(len(changed), pgChunk, func(lo, hi int) error {
		var cols [12]pgArray
		for _, i := range changed[lo:hi] {
			g := p.Goals[i]
			cols[0].add(strconv.Itoa(i))
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
		args := make([]any, 0, len(cols)+2)
		for i := range cols {
			args = append(args, cols[i].String())
		}
		_, err := t.exec(ctx, q, append(args, t.s.cfg.Tenant, p.ID)...)
		return err
	})
}

// updateRowsSQLite rewrites the goal rows at the changed positions of p,
// one prepared UPDATE a row (a call into the same process).
func (t *tx) updateRowsSQLite(ctx context.Context, p *goal.Plan, changed []int) error {
	for _, i := range changed {
		g := p.Goals[i]
		_, err := t.execMany(ctx, true, "UPDATE "+t.s.t.goals+" SET parent = ?, metric = ?, unit = ?, grain = ?, start_day = ?, end_day = ?, label = ?, "+
			"target = ?, stretch = ?, floor = ?, locked = ? WHERE tenant = ? AND plan = ? AND pos = ?",
			g.Parent, g.Metric, g.Unit, int(g.Period.Grain), dayArg(g.Period.Start), dayArg(g.Period.End), g.Period.Label,
			decArg(g.Target), nullDecArg(g.Stretch), nullDecArg(g.Floor), g.Locked, t.s.cfg.Tenant, p.ID, i)
		if err != nil {
			return err
		}
	}
	return nil
}
