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
	parts, err := SpreadValue(value, places, len(days))
	if err != nil {
		return nil, nil, err
	}
	return days, parts, nil
}

// SpreadValue splits value into n equal parts in units of 10^-places, by
// SplitMinor's rule with equal weights: each part gets the quota rounded
// toward zero and the minor units left go one each to the first parts.
// The parts sum to value exactly. It fails with ErrInvalid when n < 1 or
// value has more than places decimal places.
func SpreadValue(value decimal.Decimal, places int32, n int) ([]decimal.Decimal, error) {
	if n < 1 {
		return nil, factErr(ErrInvalid, "", "End", "nothing to spread %s over", goal.ShowDecimal(value))
	}
	v, fitsPlaces, fits := toMinor(value, places)
	if !fitsPlaces {
		return nil, factErr(ErrInvalid, "", "Value", "%s has more than %d decimal places; round it in the host", goal.ShowDecimal(value), places)
	}
	out := make([]decimal.Decimal, n)
	if fits {
		ones := make([]uint64, n)
		for i := range ones {
			ones[i] = 1
		}
		minor, err := SplitMinor(v, ones, nil)
		if err != nil {
			return nil, factErr(ErrInvalid, "", "Value", "%s cannot be spread over %d days: %v", goal.ShowDecimal(value), n, err)
		}
		for i, m := range minor {
			out[i] = fromMinor(m, places)
		}
		return out, nil
	}
	ones := make([]decimal.Decimal, n) // past int64 minor units: the same rule in big integers
	for i := range ones {
		ones[i] = decimal.NewFromInt(1)
	}
	parts, err := SplitValue(value, places, ones)
	if err != nil {
		return nil, factErr(ErrInvalid, "", "Value", "%s cannot be spread over %d days: %v", goal.ShowDecimal(value), n, err)
	}
	return parts, nil
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
