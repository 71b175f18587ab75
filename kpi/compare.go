package kpi

import (
	"cmp"
	"slices"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Comparison compares a figure with the same figure at an earlier time: a year
// earlier (YoY, 同比) or the period before (MoM, 环比).
type Comparison struct {
	Current, Previous goal.Period
	// Now and Before are the figures; invalid where a ratio is undefined.
	Now, Before decimal.NullDecimal
	// Delta is Now − Before, invalid when either is.
	Delta decimal.NullDecimal
	// Rate is Delta ÷ |Before| (0.25 = +25%), RatePlaces places. It is
	// invalid when Before is zero (zero-base rule: growth from nothing is
	// undefined, not infinite and not 100%) or either figure is invalid.
	// Dividing by |Before| keeps the sign meaningful for negative bases: a
	// loss shrinking from −100 to −50 is a +50% change.
	Rate decimal.NullDecimal
}

// Compare returns the change from before to now.
func Compare(now, before decimal.NullDecimal) Comparison {
	c := Comparison{Now: now, Before: before}
	if now.Valid && before.Valid {
		c.Delta = valid(now.Decimal.Sub(before.Decimal))
		c.Rate = divide(c.Delta, valid(before.Decimal.Abs()), RatePlaces)
	}
	return c
}

// YearAgo returns the period that a year-on-year comparison of p uses: for
// days, months, quarters, halves and years, the period of the same grain a
// year earlier (29 February compares with 28 February); for weeks, the week
// 52 weeks earlier (the same weekdays); for a range, the same dates a year
// earlier.
func YearAgo(cal *goal.Calendar, p goal.Period) (goal.Period, error) {
	switch p.Grain {
	case goal.Week:
		return cal.PeriodOf(goal.Week, p.Start-364)
	case goal.Range:
		return goal.NewRange(yearEarlier(p.Start), yearEarlier(p.End))
	}
	return cal.PeriodOf(p.Grain, yearEarlier(p.Start))
}

func yearEarlier(d date.Date) date.Date {
	y, m, day := d.Date()
	if m == time.February && day == 29 {
		day = 28
	}
	return date.New(y-1, m, day)
}

// YoY compares KPI k for unit over p with the same period a year earlier
// (see YearAgo). Both periods must lie within the ledger's span.
func (l *Ledger) YoY(k KPI, unit string, cal *goal.Calendar, p goal.Period, scope Scope) (Comparison, error) {
	prev, err := YearAgo(cal, p)
	if err != nil {
		return Comparison{}, err
	}
	return l.Compare(k, unit, p, prev, scope)
}

// MoM compares KPI k for unit over p with the period before it
// (cal.Prev(p): the previous month for a month, the previous quarter for a
// quarter, and so on).
func (l *Ledger) MoM(k KPI, unit string, cal *goal.Calendar, p goal.Period, scope Scope) (Comparison, error) {
	return l.Compare(k, unit, p, cal.Prev(p), scope)
}

// Compare compares KPI k for unit over the periods now and before.
func (l *Ledger) Compare(k KPI, unit string, now, before goal.Period, scope Scope) (Comparison, error) {
	a, err := l.Value(k, unit, now, scope)
	if err != nil {
		return Comparison{}, err
	}
	b, err := l.Value(k, unit, before, scope)
	if err != nil {
		return Comparison{}, err
	}
	c := Compare(a, b)
	c.Current, c.Previous = now, before
	return c, nil
}

// Score is one unit's figure to rank.
type Score struct {
	Unit  string
	Value decimal.NullDecimal
}

// Ranked is one line of a leaderboard.
type Ranked struct {
	// Rank is 1 for the best. Equal values share a rank and the next rank
	// skips ("1, 2, 2, 4"); units with an undefined value (an attainment with
	// a zero target, a ratio with a zero denominator) come last with rank 0.
	Rank  int
	Unit  string
	Value decimal.NullDecimal
}

// Rank orders scores best first: descending for higher-is-better, ascending
// for lower-is-better. Equal values share a rank and are listed by unit ID,
// so the result does not depend on the order of scores. It works for
// amounts, counts, ratios and attainments alike.
func Rank(scores []Score, dir goal.Direction) []Ranked {
	out := make([]Ranked, len(scores))
	for i, s := range scores {
		out[i] = Ranked{Unit: s.Unit, Value: s.Value}
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		if a.Value.Valid != b.Value.Valid {
			if a.Value.Valid {
				return -1
			}
			return 1
		}
		if a.Value.Valid {
			c := a.Value.Decimal.Cmp(b.Value.Decimal)
			if dir == goal.HigherIsBetter {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	for i := range out {
		switch {
		case !out[i].Value.Valid:
			out[i].Rank = 0
		case i > 0 && out[i-1].Value.Valid && out[i-1].Value.Decimal.Equal(out[i].Value.Decimal):
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out
}

// Leaderboard ranks units by KPI k over p (see Rank), in k's direction.
// For a ranking by attainment, compute each unit's Status and Rank the
// Attainment values.
func (l *Ledger) Leaderboard(k KPI, units []string, p goal.Period, scope Scope) ([]Ranked, error) {
	if err := k.Validate(); err != nil {
		return nil, err
	}
	scores := make([]Score, len(units))
	l.mu.RLock()
	defer l.mu.RUnlock()
	for i, u := range units {
		v, err := l.value(&k, u, p, scope)
		if err != nil {
			return nil, err
		}
		scores[i] = Score{Unit: u, Value: v}
	}
	return Rank(scores, k.Direction), nil
}
