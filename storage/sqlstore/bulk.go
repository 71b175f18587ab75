package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// PostgreSQL takes a batch in one statement per table: each column travels
// as one array parameter, written as a PostgreSQL array literal (text, so
// any database/sql driver can pass it, and the store imports none), and
// the statement inserts FROM unnest(...) of the arrays. A batch of 10,000
// facts is one INSERT for the facts and one statement for the daily and
// monthly own totals, instead of thousands of rows of placeholders.

// pgChunk bounds the rows of one array statement (a 50,000-row batch is a
// few megabytes of parameters).
const pgChunk = 50_000

// pgArray builds the text of a PostgreSQL array literal: {"a","b",NULL}.
type pgArray struct{ b []byte }

func (a *pgArray) sep() {
	if len(a.b) == 0 {
		a.b = append(a.b, '{')
	} else {
		a.b = append(a.b, ',')
	}
}

// add appends s, quoted, with " and \ escaped.
func (a *pgArray) add(s string) {
	a.sep()
	a.b = append(a.b, '"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			a.b = append(a.b, '\\')
		}
		a.b = append(a.b, s[i])
	}
	a.b = append(a.b, '"')
}

// addNullable appends s, or NULL when v is nil (encode* return nil or a
// string).
func (a *pgArray) addNullable(v any) {
	if s, ok := v.(string); ok {
		a.add(s)
		return
	}
	a.sep()
	a.b = append(a.b, "NULL"...)
}

// addDay appends a day as YYYY-MM-DD (unquoted: digits and dashes).
func (a *pgArray) addDay(d date.Date) {
	if y := d.Year(); y < 1000 || y > 9999 {
		a.add(d.String())
		return
	}
	a.sep()
	a.b = appendDay(a.b, d)
}

// addDecimal appends v as v.String() writes it (unquoted: digits, sign and
// point).
func (a *pgArray) addDecimal(v decimal.Decimal) {
	a.sep()
	a.b = appendDecimal(a.b, v)
}

// appendDecimal appends v.String() to b, without big.Int formatting when
// the coefficient fits in int64: the digits, the point at the exponent,
// and trailing fractional zeros dropped.
func appendDecimal(b []byte, v decimal.Decimal) []byte {
	e := v.Exponent()
	if e > 0 || e < -18 || v.NumDigits() > 18 {
		return append(b, v.String()...)
	}
	c := v.CoefficientInt64()
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var buf [24]byte
	digits := strconv.AppendInt(buf[:0], c, 10)
	scale := int(-e)
	for scale > 0 && digits[len(digits)-1] == '0' && len(digits) > 1 {
		digits, scale = digits[:len(digits)-1], scale-1
	}
	if c == 0 {
		scale = 0
	}
	switch {
	case scale == 0:
		return append(b, digits...)
	case len(digits) > scale:
		b = append(b, digits[:len(digits)-scale]...)
		b = append(b, '.')
		return append(b, digits[len(digits)-scale:]...)
	default:
		b = append(b, '0', '.')
		for range scale - len(digits) {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
}

// String returns the literal; an empty array is {}.
func (a *pgArray) String() string {
	if len(a.b) == 0 {
		return "{}"
	}
	return string(append(a.b, '}'))
}

// writeFactsPG is writeFacts for PostgreSQL: one INSERT ... SELECT FROM
// unnest per chunk of pgChunk facts; when skipping stored keys, the
// statement returns only the keys it did not insert, so a batch of new
// facts returns no rows.
func (t *tx) writeFactsPG(ctx context.Context, facts []kpi.Fact, parts [][]storage.Part, idx []int, skipped map[string]bool) error {
	q := "WITH x AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::numeric[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(k, m, u, d, v, c, cr, di, pa, ex))"
	insert := "INSERT INTO " + t.s.t.facts + " (" + strings.Join(factColumns, ", ") + ") " +
		"SELECT ?, k, m, u, d, v, c, cr, di, pa, false, ex FROM x"
	if skipped != nil {
		q += ", ins AS (" + insert + " ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING fact_key) SELECT k FROM x WHERE k NOT IN (SELECT fact_key FROM ins)"
	} else {
		q += " " + insert
	}
	return chunk(len(idx), pgChunk, func(lo, hi int) error {
		var cols [10]pgArray
		for _, i := range idx[lo:hi] {
			f := facts[i]
			cols[0].add(f.Key)
			cols[1].add(f.Metric)
			cols[2].add(f.Unit)
			cols[3].addDay(f.Date)
			cols[4].addDecimal(f.Value)
			cols[5].add(f.Currency)
			cols[6].addNullable(encodeCredits(f.Credits))
			cols[7].addNullable(encodeMap(f.Dims))
			cols[8].addNullable(encodeParts(f, parts[i]))
			cols[9].addNullable(encodeExtra(f))
		}
		args := make([]any, 0, len(cols)+1)
		for i := range cols {
			args = append(args, cols[i].String())
		}
		args = append(args, t.s.cfg.Tenant)
		if skipped == nil {
			_, err := t.exec(ctx, q, args...)
			return err
		}
		rows, err := t.query(ctx, q, args...)
		return addKeys(rows, err, skipped)
	})
}

// applyDeltasPG is applyDeltas for PostgreSQL: the daily (if any) and the
// monthly own buckets of a batch in one statement (the daily upsert as a
// data-modifying WITH), each bucket once, in key order.
func (t *tx) applyDeltasPG(ctx context.Context, deltas ownDeltas) error {
	days, months := deltas.days, deltas.monthly()
	dk, mk := days.Sorted(), months.Sorted()
	upsert := func(table, col string) string {
		return "INSERT INTO " + table + " AS b (tenant, metric, unit, " + col + ", value, n) " +
			"SELECT ?, m, u, d, v, c FROM unnest(?::text[], ?::text[], ?::date[], ?::numeric[], ?::numeric[]) AS x(m, u, d, v, c) " +
			"ON CONFLICT (tenant, metric, unit, " + col + ") DO UPDATE SET value = b.value + excluded.value, n = b.n + excluded.n"
	}
	args := func(keys []rollup.Cell, d rollup.Deltas) []any {
		var cols [5]pgArray
		for _, k := range keys {
			v := d[k]
			cols[0].add(k.Metric)
			cols[1].add(k.Unit)
			cols[2].addDay(k.Day)
			cols[3].addDecimal(v.Value)
			cols[4].addDecimal(v.Count)
		}
		out := []any{t.s.cfg.Tenant}
		for i := range cols {
			out = append(out, cols[i].String())
		}
		return out
	}
	switch {
	case len(mk) == 0:
		return nil
	case len(dk) == 0 && len(mk) <= pgChunk:
		_, err := t.exec(ctx, upsert(t.s.t.monthly, "month"), args(mk, months)...)
		return err
	case len(dk) <= pgChunk && len(mk) <= pgChunk:
		_, err := t.exec(ctx, "WITH day_upsert AS ("+upsert(t.s.t.daily, "day")+") "+upsert(t.s.t.monthly, "month"),
			append(args(dk, days), args(mk, months)...)...)
		return err
	}
	for _, u := range []struct {
		table, col string
		keys       []rollup.Cell
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
