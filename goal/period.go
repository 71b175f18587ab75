package goal

import (
	"fmt"

	"github.com/rickb777/date/v2"
)

// Grain is the size of a period. Grains are ordered from finest to coarsest,
// so g < h means g is finer than h.
type Grain uint8

// The grains, from the finest calendar grain to the coarsest.
const (
	// Range is a period of no particular grain: any half-open date range.
	Range Grain = iota
	Day
	Week
	Month
	Quarter
	Half
	Year
)

var grainNames = [...]string{"range", "day", "week", "month", "quarter", "half", "year"}

// String names the value in words (what %v prints).
func (g Grain) String() string {
	if int(g) < len(grainNames) {
		return grainNames[g]
	}
	return fmt.Sprintf("Grain(%d)", uint8(g))
}

// Period is a half-open date range [Start, End) of one grain with a label
// such as "2026", "FY2026-H1", "2026-Q3", "2026-03", "2026-W09" or
// "2026-03-15". A fact dated on End belongs to the next period, never to this
// one. Periods are comparable values; build them with a Calendar (PeriodOf,
// Parse, Split) or NewRange, not by hand.
type Period struct {
	Grain Grain     `json:"grain"`
	Start date.Date `json:"start"` // first day in the period
	End   date.Date `json:"end"`   // first day after the period
	Label string    `json:"label"`
}

// NewRange returns the period [start, end) of grain Range, labelled
// "[start,end)". It fails when end is not after start.
func NewRange(start, end date.Date) (Period, error) {
	if end <= start {
		return Period{}, invalid("range", fmt.Sprintf("[%s,%s)", start, end), "the end must be after the start (ranges are half-open)")
	}
	return Period{Grain: Range, Start: start, End: end, Label: rangeLabel(start, end)}, nil
}

func rangeLabel(start, end date.Date) string {
	return "[" + start.String() + "," + end.String() + ")"
}

// String returns the period's label.
func (p Period) String() string { return p.Label }

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Days returns the number of calendar days in the period.
func (p Period) Days() int { return int(p.End - p.Start) }

// Contains reports whether d falls in [Start, End).
func (p Period) Contains(d date.Date) bool { return d >= p.Start && d < p.End }

// Covers reports whether q lies entirely within p.
func (p Period) Covers(q Period) bool { return q.Start >= p.Start && q.End <= p.End }

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool { return p.Start < q.End && q.Start < p.End }
