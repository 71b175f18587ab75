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
	sqlite := t.s.cfg.Dialect == SQLite
	byDay := raw || len(bounds) > maxCaseBounds
	var sel, group strings.Builder
	var args []any
	seg := "day"
	if !byDay && len(bounds) == 2 {
		seg = "0"
	} else if !byDay {
		var b strings.Builder
		b.WriteString("CASE")
		for i := 1; i < len(bounds)-1; i++ {
			fmt.Fprintf(&b, " WHEN day < ? THEN %d", i-1)
			args = append(args, dayArg(bounds[i]))
		}
		fmt.Fprintf(&b, " ELSE %d END", len(bounds)-2)
		seg = b.String()
	}
	sel.WriteString("SELECT scope, metric, unit, " + seg + " AS seg, ")
	switch {
	case raw:
		sel.WriteString("v_hi, v_lo, n_hi, n_lo")
	case sqlite:
		sel.WriteString("SUM(v_hi), SUM(v_lo), SUM(n_hi), SUM(n_lo)")
	default:
		sel.WriteString("SUM(value), SUM(n)")
	}
	sel.WriteString(" FROM " + t.s.t.daily + " WHERE tenant = ? AND day >= ? AND day < ?")
	args = append(args, t.s.cfg.Tenant, dayArg(bounds[0]), dayArg(bounds[len(bounds)-1]))
	in := func(col string, set map[string]bool) {
		sel.WriteString(" AND " + col + " IN " + placeholders(1, len(set)))
		for v := range set {
			args = append(args, v)
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
	if !raw {
		group.WriteString(" GROUP BY scope, metric, unit, seg")
	}
	rows, err := t.query(ctx, sel.String()+group.String(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
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
		if byDay {
			if i = rollup.Segment(bounds, d); i < 0 {
				continue
			}
		}
		v, n := ts.total()
		series := rollup.Series{Scope: rollup.Scope(scope[0]), Metric: metric, Unit: unit}
		segs.Add(series, i, v, n)
	}
	return rows.Err()
}
