package kpi

import (
	"errors"
	"math/bits"
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// The credit rule, written once: the ledger, the memory store and the SQL
// stores (through storage.Split) all split a fact with SplitMinor or
// SplitValue, so a split fact credits every unit the same amount wherever
// it is stored.

// SplitMinor splits value (in minor units, e.g. cents) over weights in
// proportion to them by the largest remainder method and returns the parts,
// which sum to value exactly. Each part first gets its exact quota rounded
// toward zero; the minor units still missing go one each to the parts with
// the largest remainders, and a tie of remainders goes to the part listed
// first (the earlier credit of the fact, whatever the org order). A
// negative value is split as the mirror image of its absolute value.
//
// The weights are non-negative integers on any common scale (a credit's
// share in millionths, say) with a positive sum. The arithmetic is exact
// 128-bit integer arithmetic: the result is the one goal.Allocate gives for
// the same value, places and weights. out is reused if it has room.
func SplitMinor(value int64, weights []uint64, out []int64) ([]int64, error) {
	var total uint64
	for _, w := range weights {
		s, carry := bits.Add64(total, w, 0)
		if carry != 0 {
			return nil, errWeightsOverflow
		}
		total = s
	}
	if total == 0 {
		return nil, errNoWeight
	}
	neg := value < 0
	abs := uabs(value)
	out = slices.Grow(out[:0], len(weights))[:len(weights)]
	// rems holds remainders only while ties are broken; avoid allocating for
	// the few credits a fact has.
	var small [8]uint64
	rems := small[:0]
	if len(weights) > len(small) {
		rems = make([]uint64, 0, len(weights))
	}
	var given uint64
	for i, w := range weights {
		hi, lo := bits.Mul64(abs, w)
		q, r := bits.Div64(hi, lo, total) // hi < total since w ≤ total
		out[i] = int64(q)
		rems = append(rems, r)
		given += q
	}
	for left := abs - given; left > 0; left-- {
		best := -1
		for i, r := range rems {
			if best < 0 || r > rems[best] {
				best = i
			}
		}
		out[best]++
		rems[best] = 0 // each part gets at most one extra unit
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out, nil
}

var (
	errNoWeight        = errors.New("the weights sum to zero")
	errWeightsOverflow = errors.New("the weights sum past 2^64")
)

// SplitValue is SplitMinor for decimals: it splits value over shares in
// units of 10^-places (the metric's minor unit) with the same rule, exactly
// and for values of any size (those that do not fit an int64 of minor units
// go through goal.Allocate, which gives the same parts). Shares are
// positive decimals (a fact's credit shares); value must not have more than
// places decimal places.
func SplitValue(value decimal.Decimal, places int32, shares []decimal.Decimal) ([]decimal.Decimal, error) {
	if v, fitsPlaces, fits := toMinor(value, places); fitsPlaces && fits {
		if ws, ok := minorWeights(shares); ok {
			parts, err := SplitMinor(v, ws, nil)
			if err != nil {
				return nil, err
			}
			out := make([]decimal.Decimal, len(parts))
			for i, p := range parts {
				out[i] = fromMinor(p, places)
			}
			return out, nil
		}
	}
	ws := make([]goal.Share, len(shares))
	for i, s := range shares {
		ws[i] = goal.Share{Weight: s}
	}
	return goal.Allocate(goal.Allocation{Total: value, Places: places, Shares: ws})
}

// minorWeights writes shares as integers on one scale (10^-p, p the most
// places any share has), if they fit.
func minorWeights(shares []decimal.Decimal) ([]uint64, bool) {
	var places int32
	for _, s := range shares {
		places = max(places, -s.Exponent())
	}
	if places > 18 {
		return nil, false
	}
	ws := make([]uint64, len(shares))
	for i, s := range shares {
		w, fitsPlaces, fits := toMinor(s, places)
		if !fitsPlaces || !fits || w < 0 {
			return nil, false
		}
		ws[i] = uint64(w)
	}
	return ws, true
}
