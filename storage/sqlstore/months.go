package sqlstore

import (
	"context"
	"slices"

	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/rickb777/date/v2"
)

// In PostgreSQL, the monthly table holds the daily buckets summed per
// calendar month, so that SumMany reads one row a month for the whole months
// of a range (years, quarters and months of a plan are whole months) and
// daily rows only for the partial months at its ends. Every change to the
// daily table changes the monthly one in the same transaction: applyDeltas
// writes both, rebuildTree rebuilds both. SQLite keeps daily rows only: its
// exact hi/lo integers hold a day's total but not always a month's (a
// month of values near the 10^21 limit would overflow int64), and its
// queries over daily rows already keep pace with plain SQL.

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
// ones (PostgreSQL only).
func (t *tx) rebuildMonths(ctx context.Context, scope rollup.Scope) error {
	if t.s.cfg.Dialect != PostgreSQL {
		return nil
	}
	m := t.s.t.monthly
	if _, err := t.exec(ctx, "DELETE FROM "+m+" WHERE tenant = ? AND scope = ?", t.s.cfg.Tenant, string(scope)); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO "+m+" (tenant, scope, metric, unit, month, value, n) "+
		"SELECT tenant, scope, metric, unit, date_trunc('month', day)::date, SUM(value), SUM(n) FROM "+t.s.t.daily+
		" WHERE tenant = ? AND scope = ? GROUP BY tenant, scope, metric, unit, date_trunc('month', day)::date",
		t.s.cfg.Tenant, string(scope))
	return err
}

// monthSplit cuts the segments between consecutive bounds further at every
// month start, into pieces that are either a whole calendar month or lie
// within one month.
type monthSplit struct {
	cuts  []date.Date // the bounds and the month starts between them, sorted
	whole []bool      // whole[j]: [cuts[j], cuts[j+1]) is a calendar month
	seg   []int       // seg[j]: the segment between bounds piece j lies in
}

// splitMonths returns the pieces of the segments between bounds, or false
// when there would be more than limit cuts.
func splitMonths(bounds []date.Date, limit int) (monthSplit, bool) {
	last := bounds[len(bounds)-1]
	cuts := slices.Clone(bounds)
	for m := nextMonth(monthOf(bounds[0])); m < last; m = nextMonth(m) {
		if len(cuts) == limit+len(bounds) {
			return monthSplit{}, false
		}
		cuts = append(cuts, m)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	ms := monthSplit{cuts: cuts, whole: make([]bool, len(cuts)-1), seg: make([]int, len(cuts)-1)}
	for j := range ms.whole {
		ms.whole[j] = cuts[j] == monthOf(cuts[j]) && cuts[j+1] == nextMonth(cuts[j])
		ms.seg[j] = rollup.Segment(bounds, cuts[j])
	}
	return ms, len(cuts) <= limit
}

// wholeMonths counts the pieces that are whole months.
func (ms monthSplit) wholeMonths() int {
	n := 0
	for _, w := range ms.whole {
		if w {
			n++
		}
	}
	return n
}
