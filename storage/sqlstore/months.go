package sqlstore

import (
	"slices"

	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

// The stores keep own buckets only: the facts of one metric credited to
// one unit, per day (table daily) and, in PostgreSQL, per calendar month
// (table monthly; month is the month's first day), kept by the same
// statement as daily. Subtree totals are summed from the own buckets when
// read, along the org as it was on each day, so org edits and moves write
// no totals (see SumMany).
//
// SumMany reads whole months from monthly and only the days of partial
// months from daily. Every write of totals (ingest, retract, replace) goes
// through applyDeltas, which keeps both.
//
// SQLite keeps daily rows and no monthly ones: its exact hi/lo integers
// hold a day's total but not always a month's (a month of values near the
// 10^21 limit would overflow int64), and its queries over daily rows
// already keep pace with plain SQL.

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

// monthsOf sums a batch's own deltas per calendar month, for PostgreSQL's
// monthly buckets.
func monthsOf(deltas rollup.Deltas) rollup.Deltas {
	months := make(rollup.Deltas, len(deltas)/4+1)
	for k, v := range deltas {
		m := rollup.Cell{Metric: k.Metric, Unit: k.Unit, Day: monthOf(k.Day)}
		if x, ok := months[m]; ok {
			x.Value = x.Value.Add(v.Value)
			x.Count = x.Count.Add(v.Count)
			continue
		}
		months[m] = &rollup.Delta{Value: v.Value, Count: v.Count}
	}
	return months
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
