package sqlstore

import (
	"context"
	"slices"

	"github.com/goalkit/goalkit/storage/internal/rollup"
	"github.com/rickb777/date/v2"
)

// In PostgreSQL the buckets are laid out for bulk ingest and for plans of
// whole months:
//   - daily holds the own buckets (scope 's') only;
//   - monthly holds the own and the subtree buckets (scope 't') of every
//     calendar month (month is the month's first day).
//
// A batch thus writes one daily row per (unit, metric, day) it credits and
// one monthly row per (unit or ancestor, metric, month), instead of a daily
// row per ancestor too. SumMany reads whole months from monthly, and days
// of partial months from daily, summing a subtree's days over the org's
// closure (pgDaily). PutUnits rebuilds the subtree months from the own
// months.
//
// SQLite keeps daily own and subtree rows and no monthly ones: its exact
// hi/lo integers hold a day's total but not always a month's (a month of
// values near the 10^21 limit would overflow int64), and its queries over
// daily rows already keep pace with plain SQL.

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

// pgBuckets splits a batch's deltas into PostgreSQL's buckets: the own
// daily ones, and every delta summed per month.
func pgBuckets(deltas rollup.Deltas) (days, months rollup.Deltas) {
	days = make(rollup.Deltas, len(deltas)/2+1)
	months = make(rollup.Deltas, len(deltas)/4+1)
	for k, v := range deltas {
		if k.Scope == rollup.Self {
			days[k] = v
		}
		m := rollup.Key{Series: k.Series, Day: monthOf(k.Day)}
		if x, ok := months[m]; ok {
			x.Value = x.Value.Add(v.Value)
			x.Count = x.Count.Add(v.Count)
			continue
		}
		months[m] = &rollup.Delta{Value: v.Value, Count: v.Count}
	}
	return days, months
}

// rebuildTreeMonths recomputes PostgreSQL's subtree months from the own
// months and the closure: an internal unit's subtree total is the sum of
// the own totals of every unit it is an ancestor-or-self of.
func (t *tx) rebuildTreeMonths(ctx context.Context) error {
	m, c := t.s.t.monthly, t.s.t.ancestors
	if _, err := t.exec(ctx, "DELETE FROM "+m+" WHERE tenant = ? AND scope = 't'", t.s.cfg.Tenant); err != nil {
		return err
	}
	_, err := t.exec(ctx, "INSERT INTO "+m+" (tenant, scope, metric, unit, month, value, n) "+
		"SELECT m.tenant, 't', m.metric, c.ancestor, m.month, SUM(m.value), SUM(m.n)"+
		" FROM "+m+" m JOIN "+c+" c ON c.tenant = m.tenant AND c.unit = m.unit"+
		" WHERE m.tenant = ? AND m.scope = 's' AND c.ancestor IN (SELECT i.ancestor FROM "+c+" i WHERE i.tenant = ? AND i.depth > 0)"+
		" GROUP BY m.tenant, m.metric, c.ancestor, m.month", t.s.cfg.Tenant, t.s.cfg.Tenant)
	return err
}

// pgDaily is what PostgreSQL's SumMany reads as daily buckets: the own
// rows, and subtree rows summed from the own rows of each internal unit's
// subtree through the closure, with its argument (the tenant, so the set of
// internal units is computed once rather than per row). Filters on the
// outer query (tenant, day, scope, metric, unit) reach into both branches.
func (t *tx) pgDaily() (string, []any) {
	d, c := t.s.t.daily, t.s.t.ancestors
	return "(SELECT tenant, scope, metric, unit, day, value, n FROM " + d + " WHERE scope = 's'" +
		" UNION ALL SELECT d.tenant, 't' AS scope, d.metric, c.ancestor AS unit, d.day, d.value, d.n FROM " + d + " d JOIN " + c +
		" c ON c.tenant = d.tenant AND c.unit = d.unit WHERE d.scope = 's' AND c.ancestor IN (SELECT i.ancestor FROM " + c +
		" i WHERE i.tenant = ? AND i.depth > 0)) AS daily", []any{t.s.cfg.Tenant}
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
