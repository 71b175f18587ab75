package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/record"
	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/goalkit/goalkit/storage/internal/txn"
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

// SumMany answers all queries with one statement: the requested ranges are
// cut into elementary segments at every start and end, the database sums
// each (scope, metric, unit) series once per segment, and each query adds
// up its segments.
func (t *tx) SumMany(ctx context.Context, qs []storage.Query) ([]storage.Total, error) {
	if err := t.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	if err := record.CheckQueries(qs); err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	bounds := rollup.Bounds(qs)
	segs := rollup.NewSegments(bounds)
	var subtrees []string // units whose subtree is asked for
	seen := map[string]bool{}
	for _, q := range qs {
		if q.Subtree && q.End > q.Start && !seen[q.Unit] {
			seen[q.Unit] = true
			subtrees = append(subtrees, q.Unit)
		}
	}
	internal, err := t.internalOf(ctx, subtrees)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	org, err := rollup.NewOrg(nil, internal)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	if len(bounds) < 2 {
		return segs.Answer(qs, org), nil
	}
	err = t.sumSegments(ctx, qs, org, bounds, segs, false)
	if err != nil && t.s.cfg.Dialect == SQLite && strings.Contains(err.Error(), "integer overflow") {
		// Totals beyond int64 at scale 10^-12: sum the rows exactly in Go.
		segs = rollup.NewSegments(bounds)
		err = t.sumSegments(ctx, qs, org, bounds, segs, true)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: sum: %w", err)
	}
	return segs.Answer(qs, org), nil
}

func (t *tx) sumSegments(ctx context.Context, qs []storage.Query, org *rollup.Org, bounds []date.Date, segs *rollup.Segments, raw bool) error {
	scopes, metrics, units := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, q := range qs {
		if q.End > q.Start {
			scopes[string(org.ScopeOf(q))] = true
			metrics[q.Metric] = true
			units[q.Unit] = true
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
	if len(scopes) == 1 {
		in("scope", scopes)
	}
	if len(metrics) <= maxInMetrics {
		in("metric", metrics)
	}
	if len(units) <= maxInUnits {
		in("unit", units)
	}
	if !raw && t.s.cfg.Dialect == PostgreSQL {
		if ms, ok := splitMonths(bounds, maxCaseBounds); ok && ms.wholeMonths() > 0 {
			return t.sumPieces(ctx, ms, filter.String(), fargs, segs)
		}
	}
	byDay := raw || len(bounds) > maxCaseBounds
	var sel, group strings.Builder
	var args []any
	seg := "day"
	if !byDay {
		seg, args = segCase("day", bounds)
	}
	sel.WriteString("SELECT scope, metric, unit, " + seg + " AS seg, ")
	switch {
	case raw:
		sel.WriteString("v_hi, v_lo, n_hi, n_lo")
	default:
		sel.WriteString(t.sums())
	}
	sel.WriteString(" FROM " + t.s.t.daily + " WHERE tenant = ? AND day >= ? AND day < ?" + filter.String())
	args = append(args, t.s.cfg.Tenant, dayArg(bounds[0]), dayArg(bounds[len(bounds)-1]))
	args = append(args, fargs...)
	if !raw {
		group.WriteString(" GROUP BY scope, metric, unit, seg")
	}
	return t.addRows(ctx, sel.String()+group.String(), args, byDay, segs, func(i int, d date.Date) int {
		if byDay {
			return rollup.Segment(bounds, d)
		}
		return i
	})
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

// sumPieces sums the pieces of ms in one statement (PostgreSQL): whole
// months are monthly rows, read as they are (one row is one piece, so
// nothing to group); the partial months' days are grouped by piece. Each
// row carries a day of its piece: the month, or the piece's first day with
// rows.
func (t *tx) sumPieces(ctx context.Context, ms monthSplit, filter string, fargs []any, segs *rollup.Segments) error {
	var months, days []string
	args := []any{t.s.cfg.Tenant}
	for j, whole := range ms.whole {
		if whole {
			months = append(months, "?")
			args = append(args, dayArg(ms.cuts[j]))
		}
	}
	args = append(args, fargs...)
	q := "SELECT scope, metric, unit, month, value, n FROM " + t.s.t.monthly +
		" WHERE tenant = ? AND month IN (" + strings.Join(months, ", ") + ")" + filter
	var dargs []any
	for j, whole := range ms.whole {
		if !whole && (j == 0 || ms.whole[j-1]) { // a run of partial pieces starts
			k := j
			for k < len(ms.whole) && !ms.whole[k] {
				k++
			}
			days = append(days, "day >= ? AND day < ?")
			dargs = append(dargs, dayArg(ms.cuts[j]), dayArg(ms.cuts[k]))
		}
	}
	if len(days) > 0 {
		seg, cargs := segCase("day", ms.cuts)
		q += " UNION ALL SELECT scope, metric, unit, MIN(day), " + t.sums() + " FROM " + t.s.t.daily +
			" WHERE tenant = ? AND (" + strings.Join(days, " OR ") + ")" + filter + " GROUP BY scope, metric, unit, " + seg
		args = append(append(append(append(args, t.s.cfg.Tenant), dargs...), fargs...), cargs...)
	}
	return t.addRows(ctx, q, args, true, segs, func(_ int, d date.Date) int {
		if j := rollup.Segment(ms.cuts, d); j >= 0 {
			return ms.seg[j]
		}
		return -1
	})
}

// addRows runs a bucket-sum query whose rows are (scope, metric, unit, seg
// or day, sums) and adds each row to the segment segOf gives (none if
// negative).
func (t *tx) addRows(ctx context.Context, q string, args []any, byDay bool, segs *rollup.Segments, segOf func(i int, d date.Date) int) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	sqlite := t.s.cfg.Dialect == SQLite
	var scope, metric, unit string
	var i int
	var d date.Date
	ts := newTotalScan(sqlite)
	for rows.Next() {
		var seg any = &i
		if byDay {
			seg = dayScan{&d}
		}
		if err := rows.Scan(ts.dest(&scope, &metric, &unit, seg)...); err != nil {
			return err
		}
		if i = segOf(i, d); i < 0 {
			continue
		}
		v, n := ts.total()
		series := rollup.Series{Scope: rollup.Scope(scope[0]), Metric: metric, Unit: unit}
		segs.Add(series, i, v, n)
	}
	return rows.Err()
}
