package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/txn"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

func (t *tx) Sum(ctx context.Context, q storage.Query) (storage.Total, error) {
	return txn.Sum(ctx, q, t.SumMany)
}

// Limits on the IN lists and the CASE of one SumMany statement; beyond them
// the statement reads more rows and the store filters or segments in Go.
const (
	maxCaseBounds = 64
	maxInMetrics  = 64
	maxInUnits    = 512
)

// SumMany answers all queries with one statement over the own buckets:
// the requested ranges are cut into elementary segments at every start and
// end and at every day a unit changed parent, the database sums each
// (metric, unit) series once per segment, and Go rolls the segment sums up
// the org as it was in each segment (rollup.Segments.RollUp) for the
// subtree queries, then adds each query's segments.
func (t *tx) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	if err := record.CheckQueries(qs); err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	bounds := rollup.Bounds(qs)
	if len(bounds) < 2 {
		return rollup.NewSegments(bounds).Answer(qs), nil
	}
	units, subtrees := map[string]bool{}, map[string]bool{}
	var last storage.Query // batches ask many periods and metrics of a unit in a row
	for _, q := range qs {
		if q.End > q.Start && (q.Unit != last.Unit || q.Subtree != last.Subtree) {
			units[q.Unit] = true
			if q.Subtree {
				subtrees[q.Unit] = true
			}
			last = q
		}
	}
	var org *rollup.Org
	if len(subtrees) > 0 {
		all, o, err := t.rollupOrg(ctx)
		org = o
		if err != nil {
			return nil, fmt.Errorf("sqlstore: sum: %w", err)
		}
		maps.Copy(units, rollup.Below(all, subtrees))
		bounds = rollup.CutAtMoves(bounds, all)
	}
	out := sink{segs: rollup.NewSegments(bounds), org: org, subtrees: subtrees}
	err := t.sumSegments(ctx, qs, units, bounds, out, false)
	if err != nil && t.s.cfg.Dialect == SQLite && strings.Contains(err.Error(), "integer overflow") {
		// Totals beyond int64 at scale 10^-12: sum the rows exactly in Go.
		out.segs = rollup.NewSegments(bounds)
		err = t.sumSegments(ctx, qs, units, bounds, out, true)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	return out.segs.Answer(qs), nil
}

// sink is where the rows of a SumMany go: their segment totals, rolled up
// along org (nil without subtree queries) into the subtrees queried.
type sink struct {
	segs     *rollup.Segments
	org      *rollup.Org
	subtrees map[string]bool
}

func (t *tx) sumSegments(ctx context.Context, qs []storage.Query, units map[string]bool, bounds []date.Date, out sink, raw bool) error {
	metrics := map[string]bool{}
	for _, q := range qs {
		if q.End > q.Start {
			metrics[q.Metric] = true
		}
	}
	var filter strings.Builder
	var fargs []any
	in := func(col string, set map[string]bool) {
		filter.WriteString(" AND " + col + " IN " + placeholders(1, len(set)))
		for v := range set {
			fargs = append(fargs, v)
		}
	}
	if len(metrics) <= maxInMetrics {
		in("metric", metrics)
	}
	if len(units) <= maxInUnits {
		in("unit", units)
	}
	if !raw {
		if ms, ok := splitMonths(bounds, maxCaseBounds); ok && ms.wholeMonths() > 0 {
			return t.sumPieces(ctx, ms, filter.String(), fargs, out)
		}
	}
	byDay := raw || len(bounds) > maxCaseBounds
	var sel, group strings.Builder
	var args []any
	seg := "day"
	if !byDay {
		seg, args = segCase("day", bounds)
	}
	sel.WriteString("SELECT metric, unit, " + seg + " AS seg, ")
	if raw {
		sel.WriteString(t.totals())
	} else {
		sel.WriteString(t.sums())
	}
	from, dargs := t.days(bounds[0], bounds[len(bounds)-1])
	sel.WriteString(" FROM " + from + " WHERE tenant = ? AND day >= ? AND day < ?" + filter.String())
	args = append(append(args, dargs...), t.s.cfg.Tenant, dayArg(bounds[0]), dayArg(bounds[len(bounds)-1]))
	args = append(args, fargs...)
	if !raw {
		group.WriteString(" GROUP BY metric, unit, seg")
	}
	return t.addRows(ctx, sel.String()+group.String(), args, byDay, out, func(i int, d date.Date) (int, bool) {
		if byDay {
			return rollup.Segment(bounds, d), false
		}
		return i, false
	})
}

// days returns the relation of the daily own buckets of the days [lo, hi)
// and more, with its arguments: table daily (the parts of the facts that
// are not their own buckets) and the rows of the facts that are, with a
// count of one (see months.go). Both databases push the conditions on it
// down into both branches; SQLite's index on the facts' months (migration
// 0014) needs the months of [lo, hi) spelled out.
func (t *tx) days(lo, hi date.Date) (string, []any) {
	if t.s.cfg.Dialect == SQLite {
		return fmt.Sprintf("(SELECT tenant, metric, unit, day, v_hi, v_lo, n_hi, n_lo FROM %s"+
			" UNION ALL SELECT tenant, metric, unit, day, v_hi, v_lo, 0, %d FROM %s"+
			" WHERE v_hi IS NOT NULL AND NOT retracted AND substr(day, 1, 7) BETWEEN ? AND ?)",
			t.s.t.daily, pow10[12], t.s.t.facts), []any{lo.String()[:7], (hi - 1).String()[:7]}
	}
	return "(SELECT tenant, metric, unit, day, value, n FROM " + t.s.t.daily +
		" UNION ALL SELECT tenant, metric, unit, day, value, 1 FROM " + t.s.t.facts + " WHERE parts IS NULL AND NOT retracted) AS b", nil
}

// totals is the SELECT list of a bucket's total as stored.
func (t *tx) totals() string {
	if t.s.cfg.Dialect == SQLite {
		return "v_hi, v_lo, n_hi, n_lo"
	}
	return "value, n"
}

// sums is the SELECT list of a bucket sum.
func (t *tx) sums() string {
	if t.s.cfg.Dialect == SQLite {
		return "SUM(v_hi), SUM(v_lo), SUM(n_hi), SUM(n_lo)"
	}
	return "SUM(value), SUM(n)"
}

// segCase returns the SQL that numbers the segment between consecutive
// bounds a value of col falls in (0 for the first), with its arguments.
func segCase(col string, bounds []date.Date) (string, []any) {
	if len(bounds) == 2 {
		return "0", nil
	}
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for i := 1; i < len(bounds)-1; i++ {
		fmt.Fprintf(&b, " WHEN %s < ? THEN %d", col, i-1)
		args = append(args, dayArg(bounds[i]))
	}
	fmt.Fprintf(&b, " ELSE %d END", len(bounds)-2)
	return b.String(), args
}

// sumPieces sums the pieces of ms in one statement: whole
// months are monthly rows, read as they are (one row is one piece, so
// nothing to group); the partial months' days are grouped by piece. Each
// row carries a day of its piece: the month, or the piece's first day with
// rows.
func (t *tx) sumPieces(ctx context.Context, ms monthSplit, filter string, fargs []any, out sink) error {
	var months, days []string
	args := []any{t.s.cfg.Tenant}
	for j, whole := range ms.whole {
		if whole {
			months = append(months, "?")
			args = append(args, dayArg(ms.cuts[j]))
		}
	}
	args = append(args, fargs...)
	q := "SELECT metric, unit, month, " + t.totals() + " FROM " + t.s.t.monthly +
		" WHERE tenant = ? AND month IN (" + strings.Join(months, ", ") + ")" + filter
	var dargs []any
	var lo, hi date.Date // the days of the partial pieces are within [lo, hi)
	for j, whole := range ms.whole {
		if !whole && (j == 0 || ms.whole[j-1]) { // a run of partial pieces starts
			k := j
			for k < len(ms.whole) && !ms.whole[k] {
				k++
			}
			days = append(days, "day >= ? AND day < ?")
			dargs = append(dargs, dayArg(ms.cuts[j]), dayArg(ms.cuts[k]))
			if len(days) == 1 {
				lo = ms.cuts[j]
			}
			hi = ms.cuts[k]
		}
	}
	if len(days) > 0 {
		seg, cargs := segCase("day", ms.cuts)
		from, rargs := t.days(lo, hi)
		q += " UNION ALL SELECT metric, unit, MIN(day), " + t.sums() + " FROM " + from +
			" WHERE tenant = ? AND (" + strings.Join(days, " OR ") + ")" + filter + " GROUP BY metric, unit, " + seg
		args = append(append(append(append(append(args, rargs...), t.s.cfg.Tenant), dargs...), fargs...), cargs...)
	}
	segOf := func(_ int, d date.Date) (int, bool) {
		if j := rollup.Segment(ms.cuts, d); j >= 0 {
			return ms.seg[j], ms.whole[j]
		}
		return -1, false
	}
	if len(days) == 0 && t.s.cfg.Dialect == PostgreSQL {
		// Whole months only, whose rows are many (Q1: 61k at 1M facts):
		// packed. A read with days (a status as of a day inside a month)
		// has few rows a series and measured faster row by row (packed.go).
		return t.addPacked(ctx, q, args, out, segOf)
	}
	return t.addRows(ctx, q, args, true, out, segOf)
}

// addRows runs a bucket-sum query whose rows are (metric, unit, seg or day,
// sums) of own buckets and adds each row to the segment segOf gives (none if
// negative), with whether the row is a monthly one, then rolls the totals
// up.
func (t *tx) addRows(ctx context.Context, q string, args []any, byDay bool, out sink, segOf func(i int, d date.Date) (int, bool)) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var metric, unit string
	var i int
	var d date.Date
	ts := newTotalScan(t.s.cfg.Dialect == SQLite)
	for rows.Next() {
		var seg any = &i
		if byDay {
			seg = dayScan{&d}
		}
		if err := rows.Scan(ts.dest(&metric, &unit, seg)...); err != nil {
			return err
		}
		var month bool
		if i, month = segOf(i, d); i < 0 {
			continue
		}
		v, n := ts.total(month)
		out.segs.Add(rollup.Series{Scope: rollup.Self, Metric: metric, Unit: unit}, i, v, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if out.org != nil {
		out.segs.RollUp(out.org, out.subtrees)
	}
	return nil
}
