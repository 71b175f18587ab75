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

// insertFactsPG is insertFacts for PostgreSQL: one INSERT ... SELECT FROM
// unnest per chunk of pgChunk facts.
func (t *tx) insertFactsPG(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int) (map[string]bool, error) {
	inserted := make(map[string]bool, len(idx))
	q := "INSERT INTO " + t.s.t.facts + " (tenant, fact_key, metric, unit, day, value, currency, credits, dims, parts, retracted, extra) " +
		"SELECT ?, k, m, u, d, v, c, cr, di, pa, false, ex FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::numeric[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) " +
		"AS x(k, m, u, d, v, c, cr, di, pa, ex) ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING fact_key"
	err := chunk(len(idx), pgChunk, func(lo, hi int) error {
		var cols [10]pgArray
		for _, i := range idx[lo:hi] {
			f := facts[i]
			cols[0].add(f.Key)
			cols[1].add(f.Metric)
			cols[2].add(f.Unit)
			cols[3].add(f.Date.String())
			cols[4].add(f.Value.String())
			cols[5].add(f.Currency)
			cols[6].addNullable(encodeCredits(f.Credits))
			cols[7].addNullable(encodeMap(f.Dims))
			cols[8].addNullable(encodeParts(f, parts[i]))
			cols[9].addNullable(encodeExtra(f))
		}
		args := []any{t.s.cfg.Tenant}
		for i := range cols {
			args = append(args, cols[i].String())
		}
		rows, err := t.query(ctx, q, args...)
		return addKeys(rows, err, inserted)
	})
	return inserted, err
}

// applyDeltasPG is applyDeltas for PostgreSQL: the daily and the monthly
// buckets of a batch in one statement (the daily upsert as a data-modifying
// WITH), each bucket once, in key order.
func (t *tx) applyDeltasPG(ctx context.Context, deltas rollup.Deltas) error {
	days, months := deltas, monthsOf(deltas)
	dk, mk := days.Sorted(), months.Sorted()
	upsert := func(table, col string) string {
		return "INSERT INTO " + table + " AS b (tenant, scope, metric, unit, " + col + ", value, n) " +
			"SELECT ?, s, m, u, d, v, c FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::numeric[], ?::numeric[]) AS x(s, m, u, d, v, c) " +
			"ON CONFLICT (tenant, scope, metric, unit, " + col + ") DO UPDATE SET value = b.value + excluded.value, n = b.n + excluded.n"
	}
	args := func(keys []rollup.Key, d rollup.Deltas) []any {
		var cols [6]pgArray
		for _, k := range keys {
			v := d[k]
			cols[0].add(string(k.Scope))
			cols[1].add(k.Metric)
			cols[2].add(k.Unit)
			cols[3].add(k.Day.String())
			cols[4].add(v.Value.String())
			cols[5].add(v.Count.String())
		}
		out := []any{t.s.cfg.Tenant}
		for i := range cols {
			out = append(out, cols[i].String())
		}
		return out
	}
	if len(dk) <= pgChunk && len(mk) <= pgChunk {
		_, err := t.exec(ctx, "WITH day_upsert AS ("+upsert(t.s.t.daily, "day")+") "+upsert(t.s.t.monthly, "month"),
			append(args(dk, days), args(mk, months)...)...)
		return err
	}
	for _, u := range []struct {
		table, col string
		keys       []rollup.Key
		d          rollup.Deltas
	}{{t.s.t.daily, "day", dk, days}, {t.s.t.monthly, "month", mk, months}} {
		err := chunk(len(u.keys), pgChunk, func(lo, hi int) error {
			_, err := t.exec(ctx, upsert(u.table, u.col), args(u.keys[lo:hi], u.d)...)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
