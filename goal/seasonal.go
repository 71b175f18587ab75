package goal

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Profile is a monthly seasonal profile: Profile[0] weighs January,
// Profile[11] December (calendar months, whatever the fiscal year). Only the
// ratios matter: {1, 1, 2, ...} gives March twice January's share. Weights
// may have any number of decimal places.
type Profile [12]decimal.Decimal

// EvenProfile weighs every month the same. With a day basis on top, that is
// not the same as no profile: each month gets 1/12, however many days or
// working days it has.
func EvenProfile() Profile {
	var p Profile
	for m := range p {
		p[m] = decimal.NewFromInt(1)
	}
	return p
}

// Validate reports whether the profile can weigh months: no weight is
// negative or beyond CheckDecimal, and at least one is positive.
func (p Profile) Validate() error {
	positive := false
	for m, w := range p {
		if err := CheckDecimal("seasonal profile", w); err != nil {
			return err
		}
		if w.Sign() < 0 {
			return invalid("seasonal profile", w.String(), "the weight of %s is negative; weights must be zero or more", time.Month(m+1))
		}
		if w.Sign() > 0 {
			positive = true
		}
	}
	if !positive {
		return invalid("seasonal profile", "", "every month weighs zero; give at least one month a positive weight")
	}
	return nil
}

// Dated is one dated actual, such as a day's sales.
type Dated struct {
	Date  date.Date
	Value decimal.Decimal
}

// LearnMonthly learns a seasonal profile from dated actuals. The weight of a
// calendar month is the average of its totals over the years the history
// spans: the span runs from the month of the earliest date to the month of the
// latest, so a month that falls twice in the span is averaged over two years,
// and a month of the span with no actuals counts as zero. The result is exact:
// averages are scaled by a common factor instead of divided.
//
// The history must span at least 12 months (a shorter span leaves months
// unknown), and no month's total may be negative. Pass whole years: a span
// that starts or ends mid-month under-weighs that month.
func LearnMonthly(history []Dated) (Profile, error) {
	var p Profile
	if len(history) == 0 {
		return p, invalid("history", "", "it is empty; pass at least 12 months of dated actuals")
	}
	first, last := history[0].Date, history[0].Date
	var sums [12]decimal.Decimal
	for m := range sums {
		sums[m] = decimal.Zero
	}
	for _, h := range history {
		first, last = min(first, h.Date), max(last, h.Date)
		m := h.Date.Month() - 1
		sums[m] = sums[m].Add(h.Value)
	}
	from := first.Year()*12 + int(first.Month()) - 1
	to := last.Year()*12 + int(last.Month()) - 1
	if span := to - from + 1; span < 12 {
		return p, invalid("history", fmt.Sprintf("%s..%s", first, last), "it spans %d months; a monthly profile needs at least 12", span)
	}
	var count [12]int64
	for k := from; k <= to; k++ {
		count[k%12]++
	}
	lcm := int64(1)
	for _, c := range count {
		lcm = lcm / gcd64(lcm, c) * c
	}
	for m := range p {
		if sums[m].Sign() < 0 {
			return Profile{}, invalid("history", sums[m].String(), "the actuals of %s sum to a negative amount; a seasonal weight cannot be negative", time.Month(m+1))
		}
		p[m] = sums[m].Mul(decimal.NewFromInt(lcm / count[m]))
	}
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

func gcd64(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
