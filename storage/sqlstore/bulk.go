package sqlstore

import (
	"context"
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/internal/rollup"
)

// PostgreSQL takes a batch in one statement per table: each column travels
// as one array parameter, written as a PostgreSQL array literal (text, so
// any database/sql driver can pass it, and the store imports none), and
// the statement inserts FROM unnest(...) of the arrays. A batch of 10,000
// facts is one INSERT for the facts and one statement for the daily and
// monthly totals, instead of thousands of rows of placeholders.

// pgChunk bounds the rows of one array statement (a 50,000-row batch is a
// few megabytes of parameters).
const pgChunk = 50_000

// pgArray builds the text of a PostgreSQL array literal: {"a","b",NULL}.
type pgArray struct{ b strings.Builder }

func (a *pgArray) sep() {
	if a.b.Len() == 0 {
		a.b.WriteByte('{')
	} else {
		a.b.WriteByte(',')
	}
}

// add appends s, quoted, with " and \ escaped.
func (a *pgArray) add(s string) {
	a.sep()
	a.b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			a.b.WriteByte('\\')
		}
		a.b.WriteByte(s[i])
	}
	a.b.WriteByte('"')
}

// addNullable appends s, or NULL when v is nil (encode* return nil or a
// string).
func (a *pgArray) addNullable(v any) {
	if s, ok := v.(string); ok {
		a.add(s)
		return
	}
	a.sep()
	a.b.WriteString("NULL")
}

// String returns the literal; an empty array is {}.
func (a *pgArray) String() string {
	if a.b.Len() == 0 {
		return "{}"
	}
	return a.b.String() + "}"
}

// factColumns are the staged columns of a fact, in factRow's order.
var factColumns = []string{"k", "m", "u", "d", "v", "c", "cr", "di", "pa"}

// factRow returns the staged values of a fact (strings, or nil for NULL).
func factRow(f kpi.Fact, parts []storage.Part) []any {
	return []any{f.Key, f.Metric, f.Unit, f.Date.String(), f.Value.String(), f.Currency,
		encodeCredits(f.Credits), encodeMap(f.Dims), encodeParts(f, parts)}
}

// bucketColumns are the staged columns of a bucket delta, in bucketRow's
// order.
var bucketColumns = []string{"s", "m", "u", "d", "v", "c"}

// bucketRow returns the staged values of a bucket delta.
func bucketRow(k rollup.Key, v *rollup.Delta) []any {
	return []any{string(k.Scope), k.Metric, k.Unit, k.Day.String(), v.Value.String(), v.Count.String()}
}

// arrays turns rows into one array literal per column.
func arrays(rows [][]any, width int) []any {
	cols := make([]pgArray, width)
	for _, r := range rows {
		for i, v := range r {
			cols[i].addNullable(v)
		}
	}
	out := make([]any, width)
	for i := range cols {
		out[i] = cols[i].String()
	}
	return out
}

// insertFactsPG is insertFacts for PostgreSQL: one INSERT ... SELECT FROM
// unnest per chunk of pgChunk facts, or from the staging table the Copier
// filled.
func (t *tx) insertFactsPG(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int) (map[string]bool, error) {
	inserted := make(map[string]bool, len(idx))
	head := "INSERT INTO " + t.s.t.facts + " (tenant, fact_key, metric, unit, day, value, currency, credits, dims, parts, retracted) " +
		"SELECT ?, k, m, u, d::date, v::numeric, c, cr, di, pa, false FROM "
	tail := " ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING fact_key"
	rows := func(lo, hi int) [][]any {
		out := make([][]any, 0, hi-lo)
		for _, i := range idx[lo:hi] {
			out = append(out, factRow(facts[i], parts[i]))
		}
		return out
	}
	if t.raw != nil {
		if err := t.copyRows(ctx, stageFacts, factColumns, rows(0, len(idx))); err != nil {
			return nil, err
		}
		// In key order (COLLATE "C", as the column), so concurrent
		// batches lock rows in one order.
		r, err := t.query(ctx, head+stageFacts+` ORDER BY k COLLATE "C"`+tail, t.s.cfg.Tenant)
		return inserted, addKeys(r, err, inserted)
	}
	q := head + "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(k, m, u, d, v, c, cr, di, pa)" + tail
	err := chunk(len(idx), pgChunk, func(lo, hi int) error {
		r, err := t.query(ctx, q, append([]any{t.s.cfg.Tenant}, arrays(rows(lo, hi), len(factColumns))...)...)
		return addKeys(r, err, inserted)
	})
	return inserted, err
}

// applyDeltasPG is applyDeltas for PostgreSQL: the daily and the monthly
// buckets of a batch in one statement (the daily upsert as a data-modifying
// WITH), each bucket once, in key order.
func (t *tx) applyDeltasPG(ctx context.Context, deltas rollup.Deltas) error {
	days, months := deltas, monthsOf(deltas)
	dk, mk := days.Sorted(), months.Sorted()
	rows := func(keys []rollup.Key, d rollup.Deltas) [][]any {
		out := make([][]any, len(keys))
		for i, k := range keys {
			out[i] = bucketRow(k, d[k])
		}
		return out
	}
	upsert := func(table, col, from string) string {
		return "INSERT INTO " + table + " AS b (tenant, scope, metric, unit, " + col + ", value, n) " +
			"SELECT ?, s, m, u, d::date, v::numeric, c::numeric FROM " + from +
			" ON CONFLICT (tenant, scope, metric, unit, " + col + ") DO UPDATE SET value = b.value + excluded.value, n = b.n + excluded.n"
	}
	if t.raw != nil && len(dk) > 0 {
		// One staging table for both: the daily rows first (f = 'd'), then
		// the monthly ones, each in key order.
		staged := append(rows(dk, days), rows(mk, months)...)
		for i := range staged {
			f := "m"
			if i < len(dk) {
				f = "d"
			}
			staged[i] = append(staged[i], f)
		}
		if err := t.copyRows(ctx, stageBuckets, append(bucketColumns[:len(bucketColumns):len(bucketColumns)], "f"), staged); err != nil {
			return err
		}
		from := func(f string) string {
			return "(SELECT * FROM " + stageBuckets + " WHERE f = '" + f + `' ORDER BY s COLLATE "C", m COLLATE "C", u COLLATE "C", d) AS x`
		}
		_, err := t.exec(ctx, "WITH day_upsert AS ("+upsert(t.s.t.daily, "day", from("d"))+") "+upsert(t.s.t.monthly, "month", from("m")),
			t.s.cfg.Tenant, t.s.cfg.Tenant)
		return err
	}
	const unnest = "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(s, m, u, d, v, c)"
	args := func(keys []rollup.Key, d rollup.Deltas) []any {
		return append([]any{t.s.cfg.Tenant}, arrays(rows(keys, d), len(bucketColumns))...)
	}
	if len(dk) <= pgChunk && len(mk) <= pgChunk {
		_, err := t.exec(ctx, "WITH day_upsert AS ("+upsert(t.s.t.daily, "day", unnest)+") "+upsert(t.s.t.monthly, "month", unnest),
			append(args(dk, days), args(mk, months)...)...)
		return err
	}
	for _, u := range []struct {
		table, col string
		keys       []rollup.Key
		d          rollup.Deltas
	}{{t.s.t.daily, "day", dk, days}, {t.s.t.monthly, "month", mk, months}} {
		err := chunk(len(u.keys), pgChunk, func(lo, hi int) error {
			_, err := t.exec(ctx, upsert(u.table, u.col, unnest), args(u.keys[lo:hi], u.d)...)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
