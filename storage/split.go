package storage

import (
	"fmt"
	"sort"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Part is the value of a fact credited to one unit.
type Part struct {
	Unit  string
	Value decimal.Decimal
	Share decimal.Decimal // the unit's share of the fact: 1 when not split
}

// SplitFunc computes the parts a fact is credited with. The parts of a fact
// must sum exactly to its Value. Stores call it once per fact on ingest and
// keep the parts with the fact, so retraction and rebuilds subtract exactly
// what was added even if the function changes later.
type SplitFunc func(f kpi.Fact) ([]Part, error)

// Split is the default SplitFunc. A fact without Credits is one part, the
// whole Value for f.Unit. A split fact gives each credit Value×Share,
// allocated in units of 10^-MaxPlaces by the largest-remainder method, so
// the parts sum exactly to Value and no cent is ever lost. It returns an
// error matching ErrInvalid when a credit names no unit or the same unit
// twice, or when the shares are not in (0, 1] with at most MaxPlaces places,
// or do not sum to exactly 1.
//
// Hosts whose engine knows each metric's decimal places can allocate in
// minor units instead with SplitInPlaces.
func Split(f kpi.Fact) ([]Part, error) { return split(f, MaxPlaces) }

// SplitInPlaces returns a SplitFunc like Split that allocates each metric's
// facts in that metric's minor units (places(metric) decimal places, e.g. 2
// for cents), so a 100.00 split in three is 33.34, 33.33, 33.33. Values with
// more places than places(metric) are allocated in MaxPlaces.
func SplitInPlaces(places func(metric string) int32) SplitFunc {
	return func(f kpi.Fact) ([]Part, error) {
		p := places(f.Metric)
		if p < 0 || p > MaxPlaces || f.Value.Exponent() < -p && !f.Value.Equal(f.Value.Truncate(p)) {
			p = MaxPlaces
		}
		return split(f, p)
	}
}

func split(f kpi.Fact, places int32) ([]Part, error) {
	if len(f.Credits) == 0 {
		return []Part{{Unit: f.Unit, Value: f.Value, Share: decimal.NewFromInt(1)}}, nil
	}
	one := decimal.NewFromInt(1)
	sum := decimal.Zero
	seen := make(map[string]bool, len(f.Credits))
	for _, c := range f.Credits {
		switch {
		case c.Unit == "":
			return nil, Invalid("fact credit", f.Key, "a credit names no unit")
		case seen[c.Unit]:
			return nil, Invalid("fact credit", f.Key, fmt.Sprintf("unit %q is credited twice; merge its shares", c.Unit))
		case c.Share.Sign() <= 0 || c.Share.GreaterThan(one) || c.Share.Exponent() < -MaxPlaces && !c.Share.Equal(c.Share.Truncate(MaxPlaces)):
			return nil, Invalid("fact credit", f.Key, fmt.Sprintf("share %s of unit %q is outside (0, 1] or has more than %d decimal places", c.Share, c.Unit, MaxPlaces))
		}
		seen[c.Unit] = true
		sum = sum.Add(c.Share)
	}
	if !sum.Equal(one) {
		return nil, Invalid("fact credit", f.Key, fmt.Sprintf("shares sum to %s, not 1", sum))
	}
	parts := make([]Part, len(f.Credits))
	type rem struct {
		i int
		r decimal.Decimal // |exact − truncated|
	}
	rems := make([]rem, len(f.Credits))
	allocated := decimal.Zero
	for i, c := range f.Credits {
		exact := f.Value.Mul(c.Share)
		t := exact.Truncate(places)
		parts[i] = Part{Unit: c.Unit, Value: t, Share: c.Share}
		rems[i] = rem{i, exact.Sub(t).Abs()}
		allocated = allocated.Add(t)
	}
	// The shortfall is a whole number of steps of 10^-places, fewer than
	// the number of credits, with the sign of Value.
	step := decimal.New(1, -places)
	short := f.Value.Sub(allocated).Div(step).IntPart()
	if short == 0 {
		return parts, nil
	}
	if short < 0 {
		step, short = step.Neg(), -short
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r.GreaterThan(rems[b].r) })
	for k := int64(0); k < short; k++ {
		i := rems[k%int64(len(rems))].i
		parts[i].Value = parts[i].Value.Add(step)
	}
	return parts, nil
}
