package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

// PostgreSQL sends the rows of a read of whole months (sumPieces) packed,
// one row per (metric, unit) series: its months as text, "day value count"
// triples separated by spaces, where day is the month's first day as days
// since 1970-01-01. Go's cost per row (the driver's values,
// scanning, finding the series) is most of a large SumMany, so sending
// about twelve times fewer rows costs the server less than it saves (see
// docs/ARCHITECTURE.md). Numbers are NUMERIC's own text, exact.

// epoch is day 0 of a packed day.
var epoch = date.New(1970, 1, 1)

// packed wraps q, whose rows are (metric, unit, day, value, count), into
// the query of its packed rows.
func packed(q string) string {
	return "SELECT r.metric, r.unit, string_agg((r.day - DATE '1970-01-01') || ' ' || r.v || ' ' || r.n, ' ') FROM (" + q +
		") AS r(metric, unit, day, v, n) GROUP BY r.metric, r.unit"
}

// addPacked runs q packed (see packed) and adds each triple to the segment
// segOf gives its day, as addRows does, rolling each series up as soon as
// its row is read, while the server computes the next.
func (t *tx) addPacked(ctx context.Context, q string, args []any, out sink, segOf func(i int, d date.Date) (int, bool)) error {
	rows, err := t.query(ctx, packed(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var metric, unit, text string
	for rows.Next() {
		if err := rows.Scan(&metric, &unit, &text); err != nil {
			return err
		}
		series := rollup.Series{Scope: rollup.Self, Metric: metric, Unit: unit}
		err := eachTriple(text, func(k int64, v, n rollup.Sum) {
			if i, _ := segOf(0, epoch+date.Date(k)); i >= 0 {
				out.segs.Add(series, i, v, n)
			}
		})
		if err != nil {
			return err
		}
		if out.org != nil {
			out.segs.RollUpSeries(out.org, out.subtrees, series)
		}
	}
	return rows.Err()
}

// eachTriple calls fn with each "seg value count" triple of a packed row,
// or returns an error naming what is not a triple.
func eachTriple(text string, fn func(seg int64, v, n rollup.Sum)) error {
	for text != "" {
		var tok [3]string
		for j := range tok {
			tok[j], text = text, ""
			k := strings.IndexByte(tok[j], ' ')
			if k >= 0 {
				tok[j], text = tok[j][:k], tok[j][k+1:]
			}
			if tok[j] == "" || k >= 0 && text == "" {
				return fmt.Errorf("sqlstore: read bucket sums: an empty number after %q; want seg, value and count triples", goal.Excerpt(strings.Join(tok[:j], " ")))
			}
		}
		seg, err := strconv.ParseInt(tok[0], 10, 64)
		if err != nil {
			return fmt.Errorf("sqlstore: read bucket sums: segment %q is no integer", goal.Excerpt(tok[0]))
		}
		v, err := parseSum(tok[1])
		if err != nil {
			return err
		}
		n, err := parseSum(tok[2])
		if err != nil {
			return err
		}
		fn(seg, v, n)
	}
	return nil
}

// parseSum reads NUMERIC text as a rollup.Sum: at most 18 digits straight
// into an int64 coefficient, anything else through parseDecimal.
func parseSum(s string) (rollup.Sum, error) {
	if c, e, ok := parseSmallDecimal(s); ok {
		return rollup.SumOf(c, e), nil
	}
	d, err := parseDecimal(s)
	if err != nil {
		return rollup.Sum{}, fmt.Errorf("sqlstore: %w", err)
	}
	var sum rollup.Sum
	sum.Add(d)
	return sum, nil
}
