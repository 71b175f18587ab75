package sqlstore

import (
	"context"
	"fmt"

	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/rickb777/date/v2"
)

// The monthly table holds the daily buckets summed per calendar month, so
// that SumMany reads one row a month for the whole months of a range
// (periods, quarters and years of a plan are whole months) and daily rows
// only for the partial months at its ends. Every change to the daily table
// changes the monthly one in the same transaction: applyDeltas writes both,
// rebuildTree rebuilds both.

// monthOf returns the first day of d's month.
func monthOf(d date.Date) date.Date {
	y, m, _ := d.Date()
	return date.New(y, m, 1)
}

// nextMonth returns the first day of the month after the one starting at m.
func nextMonth(m date.Date) date.Date {
	y, mo, _ := m.Date()
	return date.New(y, mo+1, 1)
}

// monthly sums daily deltas per month: the deltas of the monthly buckets.
func monthly(daily rollup.Deltas) rollup.Deltas {
	out := make(rollup.Deltas, len(daily)/4+1)
	for k, v := range daily {
		m := rollup.Key{Series: k.Series, Day: monthOf(k.Day)}
		if x, ok := out[m]; ok {
			x.Value = x.Value.Add(v.Value)
			x.Count = x.Count.Add(v.Count)
			continue
		}
		out[m] = &rollup.Delta{Value: v.Value, Count: v.Count}
	}
	return out
}

// rebuildMonths recomputes the monthly rows of one scope from the daily
// ones.
func (t *tx) rebuildMonths(ctx context.Context, scope rollup.Scope) error {
	m := t.s.t.monthly
	if _, err := t.exec(ctx, "DELETE FROM "+m+" WHERE tenant = ? AND scope = ?", t.s.cfg.Tenant, string(scope)); err != nil {
		return err
	}
	var q string
	if t.s.cfg.Dialect == SQLite {
		// lo is summed in two halves, so no SUM overflows however many days
		// a month has; the halves are carried into hi.
		q = fmt.Sprintf("INSERT INTO %[1]s (tenant, scope, metric, unit, month, v_hi, v_lo, n_hi, n_lo) "+
			"SELECT tenant, scope, metric, unit, month, "+
			"vh + va / %[3]d + ((va %% %[3]d) * %[3]d + vb) / %[4]d, ((va %% %[3]d) * %[3]d + vb) %% %[4]d, "+
			"nh + na / %[3]d + ((na %% %[3]d) * %[3]d + nb) / %[4]d, ((na %% %[3]d) * %[3]d + nb) %% %[4]d "+
			"FROM (SELECT tenant, scope, metric, unit, substr(day, 1, 7) || '-01' AS month, "+
			"SUM(v_hi) AS vh, SUM(v_lo / %[3]d) AS va, SUM(v_lo %% %[3]d) AS vb, "+
			"SUM(n_hi) AS nh, SUM(n_lo / %[3]d) AS na, SUM(n_lo %% %[3]d) AS nb "+
			"FROM %[2]s WHERE tenant = ? AND scope = ? GROUP BY tenant, scope, metric, unit, substr(day, 1, 7))",
			m, t.s.t.daily, halfLo, loBase)
	} else {
		q = "INSERT INTO " + m + " (tenant, scope, metric, unit, month, value, n) " +
			"SELECT tenant, scope, metric, unit, date_trunc('month', day)::date, SUM(value), SUM(n) FROM " + t.s.t.daily +
			" WHERE tenant = ? AND scope = ? GROUP BY tenant, scope, metric, unit, date_trunc('month', day)::date"
	}
	_, err := t.exec(ctx, q, t.s.cfg.Tenant, string(scope))
	return err
}

// halfLo splits a lo part in two halves: loBase = halfLo².
const halfLo = 1_000_000_000
