package sqlstore

import (
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

// The stores keep own buckets only: the facts of one metric credited to
// one unit, per day and, in PostgreSQL, per calendar month (table monthly;
// month is the month's first day). Subtree totals are summed from the own
// buckets when read, along the org as it was on each day, so org edits and
// moves write no totals (see SumMany).
//
// In PostgreSQL a simple fact (one unit, one day: no credits, no range) is
// its own daily bucket: SumMany reads the days of partial months from the
// simple facts' rows (through a covering partial index on tenant, metric
// and day, an entry that costs about half of a daily upsert and far less
// WAL) plus table daily, which holds only the parts of the other facts.
// So a batch of simple facts writes its rows with their index entries and
// one upsert of its monthly buckets. SumMany reads whole months from
// monthly. Every write of totals (ingest, retract, replace) goes through
// ownDeltas and applyDeltas, which keep both tables.
//
// SQLite keeps daily rows for every fact and no monthly ones: its exact
// hi/lo integers hold a day's total but not always a month's (a month of
// values near the 10^21 limit would overflow int64), its facts' values are
// text it cannot sum exactly, and its queries over daily rows already keep
// pace with plain SQL.

// simple says whether a fact is one part, its whole value for its unit on
// its day: such a fact keeps no parts (encodeParts) and, in PostgreSQL, no
// daily bucket.
func simple(f kpi.Fact) bool { return len(f.Credits) == 0 && f.End == 0 }

// ownDeltas is what a write adds to the own buckets.
type ownDeltas struct {
	days rollup.Deltas // the daily buckets
	// months holds, in PostgreSQL only, the simple facts per month (their
	// days are their rows); nil in SQLite.
	months rollup.Deltas
}

// newDeltas returns empty deltas for about n facts in t's dialect.
func (t *tx) newDeltas(n int) ownDeltas {
	o := ownDeltas{days: make(rollup.Deltas, n)}
	if t.s.cfg.Dialect == PostgreSQL {
		o.months = make(rollup.Deltas, n/8+1)
	}
	return o
}

// pg says whether the deltas are PostgreSQL's (with monthly buckets).
func (o ownDeltas) pg() bool { return o.months != nil }

// add adds (sign 1) or removes (sign -1) a fact with its parts.
func (o ownDeltas) add(f kpi.Fact, parts []storage.Part, sign int) {
	if !o.pg() || !simple(f) {
		o.days.AddFact(f.Metric, f.Date, parts, sign)
		return
	}
	o.months.AddFact(f.Metric, monthOf(f.Date), parts, sign)
}

// monthly returns the deltas of the monthly buckets: the simple facts'
// and the daily deltas summed per month. It adds the daily deltas into
// o.months, so it is called once, when the deltas are written.
func (o ownDeltas) monthly() rollup.Deltas {
	months := o.months
	for k, v := range o.days {
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
