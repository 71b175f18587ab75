package kpi

import (
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The spreading rule for range facts, written once: the stores (through
// storage.Split) and a host spreading by hand call SpreadDays, so a range
// fact credits every day the same amount wherever it is stored.

// MaxRangeDays is the most days a range fact may cover: a year and a day,
// enough for any fiscal year.
const MaxRangeDays = 366

// SpreadDays spreads value over the days of [start, end) exactly, in units
// of 10^-places (the metric's minor unit): every day counted weighs the
// same, its quota rounded toward zero, and the minor units left go one each
// to the earliest days (largest remainder, ties to the earlier day, as
// SplitMinor). With working days, only the calendar's working days count
// (cal nil means goal.NewCalendar(nil): Monday to Friday). It returns the
// days counted and their parts, which sum to value exactly, or an error
// matching ErrInvalid when the range is empty, longer than MaxRangeDays or
// holds no working day, or value has more than places decimal places.
func SpreadDays(value decimal.Decimal, places int32, start, end date.Date, workingDays bool, cal *goal.Calendar) ([]date.Date, []decimal.Decimal, error) {
	days, err := RangeDays(start, end, workingDays, cal)
	if err != nil {
		return nil, nil, err
	}
	if !goal.FitsPlaces(value, places) {
		return nil, nil, factErr(ErrInvalid, "", "Value", "%s has more than %d decimal places; round it in the host", goal.ShowDecimal(value), places)
	}
	ones := make([]decimal.Decimal, len(days))
	for i := range ones {
		ones[i] = decimal.NewFromInt(1)
	}
	parts, err := SplitValue(value, places, ones)
	if err != nil {
		return nil, nil, factErr(ErrInvalid, "", "Value", "%s cannot be spread over %d days: %v", goal.ShowDecimal(value), len(days), err)
	}
	return days, parts, nil
}

// RangeDays returns the days of [start, end) a range fact is spread over:
// every day, or only the working days of cal (nil means Monday to Friday).
// It fails like SpreadDays on a bad range.
func RangeDays(start, end date.Date, workingDays bool, cal *goal.Calendar) ([]date.Date, error) {
	if err := checkRange(start, end); err != nil {
		return nil, err
	}
	if workingDays && cal == nil {
		var err error
		if cal, err = goal.NewCalendar(nil); err != nil {
			return nil, err
		}
	}
	days := make([]date.Date, 0, end-start)
	for d := start; d < end; d++ {
		if !workingDays || cal.IsWorkingDay(d) {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return nil, factErr(ErrInvalid, "", "End", "[%s, %s) holds no working day to spread the value over; spread it over calendar days or widen the range", start, end)
	}
	return days, nil
}

// checkRange checks a range fact's [start, end).
func checkRange(start, end date.Date) *FactError {
	switch {
	case end <= start:
		return factErr(ErrInvalid, "", "End", "the range [%s, %s) is empty; End is the day after the last day the value covers", start, end)
	case end-start > MaxRangeDays:
		return factErr(ErrInvalid, "", "End", "the range [%s, %s) covers %d days, more than %d; split it into several facts", start, end, end-start, MaxRangeDays)
	case !goal.InDateRange(end - 1):
		return factErr(ErrInvalid, "", "End", "%s is outside %s..%s, the dates goalkit stores", end-1, goal.FirstDate, goal.LastDate)
	}
	return nil
}

// checkFactRange checks f's range fields (none set is a fact of one day).
func checkFactRange(f *Fact) *FactError {
	if f.End == 0 {
		if f.WorkingDays {
			return factErr(ErrInvalid, f.Key, "WorkingDays", "only a range fact is spread over working days; set End or clear WorkingDays")
		}
		return nil
	}
	if err := checkRange(f.Date, f.End); err != nil {
		err.Key = f.Key
		return err
	}
	return nil
}

// checkConversion checks f.Converted against the metric: a 3-letter
// currency other than the metric's, a positive rate, and Value equal to
// Amount × Rate rounded half to even to the metric's places.
func checkConversion(f *Fact, m *goal.Metric) *FactError {
	c := f.Converted
	if c == nil {
		return nil
	}
	switch {
	case m.Kind != goal.Amount:
		return factErr(ErrInvalid, f.Key, "Converted", "metric %q is a %s; only amounts are converted", m.Key, m.Kind)
	case len(c.Currency) != 3 || c.Currency == m.Currency:
		return factErr(ErrInvalid, f.Key, "Converted", "the original currency %q must be a 3-letter ISO 4217 code other than the metric's %s", goal.Excerpt(c.Currency), m.Currency)
	case goal.CheckDecimal("amount", c.Amount) != nil || goal.CheckDecimal("rate", c.Rate) != nil || c.Rate.Sign() <= 0:
		return factErr(ErrInvalid, f.Key, "Converted", "amount %s and rate %s must be decimals, the rate positive", goal.ShowDecimal(c.Amount), goal.ShowDecimal(c.Rate))
	}
	if want := Convert(c.Amount, c.Rate, m.Places); !want.Equal(f.Value) {
		return factErr(ErrInvalid, f.Key, "Converted", "value %s is not %s × %s = %s (half to even, %d places); let the Engine convert the fact", goal.ShowDecimal(f.Value), goal.ShowDecimal(c.Amount), goal.ShowDecimal(c.Rate), want.StringFixed(m.Places), m.Places)
	}
	return nil
}

// Convert converts amount at rate into a metric with places decimal
// places: amount × rate, rounded half to even (banker's rounding, so
// rounding errors do not drift one way over many facts).
func Convert(amount, rate decimal.Decimal, places int32) decimal.Decimal {
	return amount.Mul(rate).RoundBank(places)
}
