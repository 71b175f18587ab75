package storage

import (
	"fmt"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Part is the value of a fact credited to one unit on one day.
type Part struct {
	Unit  string
	Value decimal.Decimal
	Share decimal.Decimal // the unit's share of the fact: 1 when not split, less on each day of a range fact
	// Day is the day the part counts on; zero means the fact's Date. The
	// parts of a range fact (kpi.Fact.End) carry their days.
	Day date.Date
}

// SplitFunc computes the parts a fact is credited with. The parts of a fact
// must sum exactly to its Value. Stores call it once per fact on ingest and
// keep the parts with the fact, so retraction and rebuilds subtract exactly
// what was added even if the function changes later.
type SplitFunc func(f kpi.Fact) ([]Part, error)

// Split is the default SplitFunc. A fact without Credits is one part, the
// whole Value for f.Unit. A split fact gives each credit its share of Value,
// allocated by kpi.SplitValue (largest remainder, the weights being the
// shares, ties to the earlier credit: the rule kpi.Ledger follows) in units of Value's own last decimal
// place: 10^Exponent, that is −Value.Exponent() places capped to
// [0, MaxPlaces]. So a value written with its metric's places splits in the
// metric's minor units (100.01 split 50/50 is 50.01 and 50.00, 100.10 is
// 50.05 and 50.05), while the same amount written 100.1 splits in tenths
// (50.1 and 50.0) and 100.010 in thousandths: trailing zeros count. The
// engine writes every fact's value with exactly its metric's places before
// storing it, so its facts split in their metrics' minor units. The parts
// sum exactly to Value and no minor unit is ever lost.
//
// A range fact (kpi.Fact.End set) gives each credit's part spread over the
// days of its range (kpi.RangeDays) by kpi.SpreadValue in the same places (equal days,
// minor units left to the earliest days), and its share, the fact's count,
// spread the same way in at least kpi.SharePlaces places, so a range fact
// counts once over its days: one part a credit and day, each with its Day.
// Working days are Monday to Friday; a store whose facts follow a calendar
// with holidays splits with SplitOnCalendar.
//
// It returns an error matching ErrInvalid when a credit names no unit or the
// same unit twice, or when the shares are not in (0, 1] with at most
// MaxPlaces places, or do not sum to exactly 1.
//
// For a fact written with its metric's places and shares of at most
// kpi.SharePlaces places, the parts are the ones kpi.Ledger credits: both
// split with kpi.SplitMinor.
//
// Hosts whose engine knows each metric's decimal places can allocate in
// minor units whatever the value's exponent with SplitInPlaces.
func Split(f kpi.Fact) ([]Part, error) { return split(f, ownPlaces(f.Value), nil) }

// SplitOnCalendar returns a SplitFunc like Split (or SplitInPlaces, when
// places is not nil) that spreads range facts over the working days of cal
// (its workweek, holidays and make-up days): give a store the calendar its
// Engine has (goalkit.Config.Calendar) when facts use kpi.Fact.WorkingDays
// and the calendar has holidays. cal nil is Monday to Friday.
func SplitOnCalendar(cal *goal.Calendar, places func(metric string) int32) SplitFunc {
	if places == nil {
		return func(f kpi.Fact) ([]Part, error) { return split(f, ownPlaces(f.Value), cal) }
	}
	return splitInPlaces(places, cal)
}

// ownPlaces is the number of decimal places v is written with, in
// [0, MaxPlaces].
func ownPlaces(v decimal.Decimal) int32 {
	return min(max(-v.Exponent(), 0), MaxPlaces)
}

// SplitInPlaces returns a SplitFunc like Split that allocates each metric's
// facts in that metric's minor units (places(metric) decimal places, e.g. 2
// for cents) whatever the value's exponent, so a 100 split in three is
// 33.34, 33.33, 33.33. Values with more places than places(metric) are
// allocated in MaxPlaces.
func SplitInPlaces(places func(metric string) int32) SplitFunc { return splitInPlaces(places, nil) }

func splitInPlaces(places func(metric string) int32, cal *goal.Calendar) SplitFunc {
	return func(f kpi.Fact) ([]Part, error) {
		p := places(f.Metric)
		if p < 0 || p > MaxPlaces || !goal.FitsPlaces(f.Value, p) {
			p = MaxPlaces
		}
		return split(f, p, cal)
	}
}

// split credits f's units (splitCredits), then spreads each part over the
// days of f's range, if it has one.
func split(f kpi.Fact, places int32, cal *goal.Calendar) ([]Part, error) {
	parts, err := splitCredits(f, places)
	if err != nil || f.End == 0 {
		return parts, err
	}
	days, err := kpi.RangeDays(f.Date, f.End, f.WorkingDays, cal)
	if err != nil {
		return nil, Invalid("fact range", f.Key, err.Error())
	}
	out := make([]Part, 0, len(parts)*len(days))
	for _, p := range parts {
		values, err := kpi.SpreadValue(p.Value, places, len(days))
		if err != nil {
			return nil, Invalid("fact range", f.Key, err.Error())
		}
		counts, err := kpi.SpreadValue(p.Share, max(kpi.SharePlaces, ownPlaces(p.Share)), len(days))
		if err != nil {
			return nil, Invalid("fact range", f.Key, err.Error())
		}
		for i, d := range days {
			out = append(out, Part{Unit: p.Unit, Value: values[i], Share: counts[i], Day: d})
		}
	}
	return out, nil
}

// splitCredits gives each credit of f its part of Value (one part for a
// fact without credits).
func splitCredits(f kpi.Fact, places int32) ([]Part, error) {
	if len(f.Credits) == 0 {
		return []Part{{Unit: f.Unit, Value: f.Value, Share: decimal.NewFromInt(1)}}, nil
	}
	one := decimal.NewFromInt(1)
	sum := decimal.Zero
	seen := make(map[string]bool, len(f.Credits))
	shares := make([]decimal.Decimal, len(f.Credits))
	for i, c := range f.Credits {
		switch {
		case c.Unit == "":
			return nil, Invalid("fact credit", f.Key, "a credit names no unit")
		case seen[c.Unit]:
			return nil, Invalid("fact credit", f.Key, fmt.Sprintf("unit %q is credited twice; merge its shares", c.Unit))
		case c.Share.Sign() <= 0 || c.Share.GreaterThan(one) || !goal.FitsPlaces(c.Share, MaxPlaces):
			return nil, Invalid("fact credit", f.Key, fmt.Sprintf("share %s of unit %q is outside (0, 1] or has more than %d decimal places", c.Share, c.Unit, MaxPlaces))
		}
		seen[c.Unit] = true
		sum = sum.Add(c.Share)
		shares[i] = c.Share
	}
	if !sum.Equal(one) {
		return nil, Invalid("fact credit", f.Key, fmt.Sprintf("shares sum to %s, not 1", sum))
	}
	values, err := kpi.SplitValue(f.Value, places, shares)
	if err != nil {
		return nil, Invalid("fact value", f.Value.String(), fmt.Sprintf("fact %q cannot be split in %d decimal places: %v", f.Key, places, err))
	}
	parts := make([]Part, len(f.Credits))
	for i, c := range f.Credits {
		parts[i] = Part{Unit: c.Unit, Value: values[i], Share: c.Share}
	}
	return parts, nil
}
