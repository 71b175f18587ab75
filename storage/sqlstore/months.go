package sqlstore

import (
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/storage"
	"github.com/goalkit/goalkit/storage/rollup"
	"github.com/rickb777/date/v2"
)

// The stores keep own buckets only: the facts of one metric credited to
// one unit, per day and per calendar month (table monthly; month is the
// month's first day). Subtree totals are summed from the own buckets when
// read, along the org as it was on each day, so org edits and moves write
// no totals (see SumMany).
//
// A simple fact (one unit, one day: no credits, no range) is its own daily
// bucket: SumMany reads the days of partial months from the simple facts'
// rows (through a partial index on tenant, metric and day, in SQLite
// month then fact key (migration 0014 says why); an entry costs less than
// a daily upsert, which in SQLite dirties a random page of daily per fact
// and in PostgreSQL writes far more WAL) plus
// table daily, which holds only the parts of the other facts. So a batch
// of simple facts writes its rows with their index entries and one upsert
// of its monthly buckets, few pages. SumMany reads whole months from
// monthly. Every write of totals (ingest, retract, replace) goes through
// ownDeltas and applyDeltas, which keep both tables.
//
// Which facts are their own buckets is read from the stored row, never
// from the fact's shape: in PostgreSQL a fact whose parts column is NULL
// (migration 0013 moved every older one out of daily); in SQLite a fact
// whose v_hi column (its value as daily's exact pair) is not NULL, which
// only facts stored since migration 0014 have: the older ones stay counted
// in daily, so that migration converts no fact.
//
// SQLite keeps exact integer pairs: daily rows and the facts' own values
// as value = hi*10^15 + lo at scale 10^-12, which its SUM adds within
// int64 (a day's bucket is refused beyond ±9.2×10^21); monthly rows as
// hi*10^17 + lo, read as stored and never summed by SQLite, so that a
// month may reach ±9.2×10^23 (a write beyond is refused whole with
// storage.ErrOverflow: pairs.overflow).

// simple says whether a fact is one part, its whole value for its unit on
// its day: such a fact keeps no parts (encodeParts) and, stored from now
// on, no daily bucket.
func simple(f kpi.Fact) bool { return len(f.Credits) == 0 && f.End == 0 }

// ownDeltas is what a write adds to the own buckets.
type ownDeltas struct {
	days   rollup.Deltas // the daily buckets
	months rollup.Deltas // the facts that are their own daily buckets, per month
}

// newDeltas returns empty deltas for about n facts.
func newDeltas(n int) ownDeltas {
	return ownDeltas{days: make(rollup.Deltas, n), months: make(rollup.Deltas, n/8+1)}
}

// add adds (sign 1) or removes (sign -1) a fact with its parts; own says
// whether the fact is (or, written now, will be) its own daily bucket.
func (o ownDeltas) add(f kpi.Fact, parts []storage.Part, own bool, sign int) {
	if !own {
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
