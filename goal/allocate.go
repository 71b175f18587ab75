package goal

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/shopspring/decimal"
)

// Share is one part of an Allocation: a weight, or a locked amount, and
// optional bounds.
type Share struct {
	// Weight is the share's relative size. It must not be negative and is
	// ignored when Lock is set. Weights may have any number of decimal
	// places; only their ratios matter.
	Weight decimal.Decimal
	// Lock, when valid, fixes the share at exactly this amount (a target a
	// manager set by hand); the rest of the total is spread over the
	// unlocked shares.
	Lock decimal.NullDecimal
	// Min and Max, when valid, bound an unlocked share. A missing Min is
	// zero: shares never take the opposite sign of the total unless a
	// negative Min (or, for a negative total, a positive Max) allows it. A
	// missing Max is no upper bound.
	Min, Max decimal.NullDecimal
}

// Allocation describes the split of Total over Shares.
type Allocation struct {
	// Total is the amount to split. It may be negative: a negative total is
	// split as the mirror image of its absolute value (every share and bound
	// negated), so Allocate(-x) is exactly the negation of Allocate(x).
	Total decimal.Decimal
	// Places is the number of decimal places of the result (the metric's
	// minor unit: 2 for cents, 0 for counts), in 0..MaxPlaces. Total, locks
	// and bounds must not have more places; Allocate never rounds them.
	Places int32
	Shares []Share
	// EvenIfZeroWeights splits evenly over the unlocked shares when all of
	// their weights are zero. Without it an all-zero weight vector is an
	// error, unless there is nothing left to split.
	EvenIfZeroWeights bool
}

// Allocate splits a.Total over a.Shares in proportion to their weights, in
// minor units of a.Places decimal places, so that the shares always sum to
// the total exactly.
//
// The method is largest remainder (Hamilton): every unlocked share first gets
// its exact quota rounded down to the minor unit, then the minor units still
// missing go one each to the shares with the largest remainders; ties go to
// the lower index. Quotas are computed with exact integer arithmetic (no
// floating point), so the same input always gives the same output.
//
// Locked shares get exactly their lock. Bounds are met by water-filling: a
// share whose quota falls outside [Min, Max] is pinned at the bound it
// crosses and the rest is spread again over the others in proportion to their
// weights, until every share is within its bounds. A share of zero weight
// gets zero, or the bound nearest zero.
//
// Errors: a negative weight, a bound with Min > Max, a lock or bound on the
// same share, values with more than a.Places decimal places, or all-zero
// weights without EvenIfZeroWeights give a *ValidationError (ErrInvalid).
// Locks and bounds that cannot all hold — locks that exceed the total,
// minimums that sum past what is left, maximums that cannot reach it — give
// an error matching ErrInfeasible that says which.
func Allocate(a Allocation) ([]decimal.Decimal, error) {
	if err := validateAllocation(a); err != nil {
		return nil, err
	}
	if out, ok, err := allocateFast(a); ok || err != nil {
		return out, err
	}
	return allocateBig(a)
}

func validateAllocation(a Allocation) error {
	if a.Places < 0 || a.Places > MaxPlaces {
		return invalid("places", fmt.Sprint(a.Places), "give 0..%d decimal places", MaxPlaces)
	}
	if err := CheckDecimal("total", a.Total); err != nil {
		return err
	}
	for i, s := range a.Shares {
		for _, v := range []decimal.NullDecimal{{Decimal: s.Weight, Valid: true}, s.Lock, s.Min, s.Max} {
			if err := CheckDecimal(fmt.Sprintf("share %d", i), v.Decimal); v.Valid && err != nil {
				return err
			}
		}
	}
	if !FitsPlaces(a.Total, a.Places) {
		return invalid("total", a.Total.String(), "it has more than %d decimal places; round it in the host first (goalkit never rounds silently)", a.Places)
	}
	for i, s := range a.Shares {
		field := func() string { return fmt.Sprintf("share %d", i) }
		if s.Weight.Sign() < 0 && !s.Lock.Valid {
			return invalid(field(), s.Weight.String(), "the weight is negative; weights must be zero or more")
		}
		if s.Lock.Valid && !FitsPlaces(s.Lock.Decimal, a.Places) {
			return invalid(field(), s.Lock.Decimal.String(), "the lock has more than %d decimal places", a.Places)
		}
		if s.Min.Valid && !FitsPlaces(s.Min.Decimal, a.Places) {
			return invalid(field(), s.Min.Decimal.String(), "the minimum has more than %d decimal places", a.Places)
		}
		if s.Max.Valid && !FitsPlaces(s.Max.Decimal, a.Places) {
			return invalid(field(), s.Max.Decimal.String(), "the maximum has more than %d decimal places", a.Places)
		}
		if s.Lock.Valid && (s.Min.Valid || s.Max.Valid) {
			return invalid(field(), s.Lock.Decimal.String(), "a locked share takes no bounds; drop Min and Max or the lock")
		}
		if s.Min.Valid && s.Max.Valid && s.Min.Decimal.GreaterThan(s.Max.Decimal) {
			return invalid(field(), s.Min.Decimal.String(), "the minimum is above the maximum %s", s.Max.Decimal)
		}
	}
	return nil
}

func infeasible(format string, args ...any) error {
	return fmt.Errorf("goal: "+format+": %w", append(args, ErrInfeasible)...)
}

// pow10u holds 10^0 .. 10^19, every power of ten that fits a uint64.
var pow10u = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// minor64 returns d in minor units of places decimal places, when d has at
// most places decimal places and the result fits an int64.
func minor64(d decimal.Decimal, places int32) (int64, bool) {
	if d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	if c == 0 {
		return 0, true
	}
	k := int(d.Exponent()) + int(places)
	if k < 0 {
		if -k > 18 {
			return 0, false
		}
		p := int64(pow10u[-k])
		if c%p != 0 {
			return 0, false
		}
		return c / p, true
	}
	if k > 18 {
		return 0, false
	}
	p := int64(pow10u[k])
	if c > math.MaxInt64/p || c < -math.MaxInt64/p {
		return 0, false
	}
	return c * p, true
}

// minorBig returns d, which has at most places decimal places, in minor units.
func minorBig(d decimal.Decimal, places int32) *big.Int {
	return d.Shift(places).BigInt()
}

// weights64 scales non-negative decimal weights to integers with the same
// ratios. It reports false when one of them or their sum does not fit a
// uint64.
func weights64(ws []decimal.Decimal, skip func(int) bool, out []uint64) (sum uint64, ok bool) {
	e := int32(math.MaxInt32)
	for i, w := range ws {
		if !skip(i) && w.Sign() != 0 {
			e = min(e, w.Exponent())
		}
	}
	for i, w := range ws {
		out[i] = 0
		if skip(i) || w.Sign() == 0 {
			continue
		}
		if w.NumDigits() > 18 {
			return 0, false
		}
		k := int(w.Exponent() - e)
		if k > 19 {
			return 0, false
		}
		hi, lo := bits.Mul64(uint64(w.CoefficientInt64()), pow10u[k])
		if hi != 0 {
			return 0, false
		}
		var carry uint64
		sum, carry = bits.Add64(sum, lo, 0)
		if carry != 0 {
			return 0, false
		}
		out[i] = lo
	}
	return sum, true
}

// allocateFast handles the common case, no bounds and every value fitting 64
// bits, without big integers. ok is false when the case does not apply.
func allocateFast(a Allocation) (out []decimal.Decimal, ok bool, err error) {
	n := len(a.Shares)
	total, fits := minor64(a.Total, a.Places)
	if !fits || total == math.MinInt64 {
		return nil, false, nil
	}
	sign := int64(1)
	if total < 0 {
		sign, total = -1, -total
	}
	rest := total
	weights := make([]decimal.Decimal, n)
	locks := make([]int64, n)
	for i, s := range a.Shares {
		if s.Min.Valid || s.Max.Valid {
			return nil, false, nil
		}
		if s.Lock.Valid {
			l, fits := minor64(s.Lock.Decimal, a.Places)
			if !fits || l == math.MinInt64 {
				return nil, false, nil
			}
			locks[i] = sign * l
			var over bool
			if rest, over = subOverflows(rest, locks[i]); over {
				return nil, false, nil
			}
			continue
		}
		weights[i] = s.Weight
	}
	locked := func(i int) bool { return a.Shares[i].Lock.Valid }
	w := make([]uint64, n)
	sum, fits := weights64(weights, locked, w)
	if !fits {
		return nil, false, nil
	}
	res := make([]int64, n)
	if sum, err = checkRest(a, rest, sum, w, locked); err != nil {
		return nil, true, err
	}
	if rest != 0 {
		var al allocator
		al.split(rest, w, sum, res)
	}
	out = make([]decimal.Decimal, n)
	// Shares mostly repeat a few amounts (q and q+1 minor units): share
	// the decimals, which are immutable, instead of allocating each.
	var seen [8]struct {
		v int64
		d decimal.Decimal
	}
	nseen := 0
outer:
	for i := range out {
		v := res[i]
		if locked(i) {
			v = locks[i]
		}
		v *= sign
		for _, s := range seen[:nseen] {
			if s.v == v {
				out[i] = s.d
				continue outer
			}
		}
		out[i] = decimal.New(v, -a.Places)
		if nseen < len(seen) {
			seen[nseen].v, seen[nseen].d = v, out[i]
			nseen++
		}
	}
	return out, true, nil
}

func subOverflows(a, b int64) (int64, bool) {
	d := a - b
	return d, (b > 0 && d > a) || (b < 0 && d < a)
}

// checkRest validates what is left for the unlocked shares after the locks,
// in the no-bounds case, and sets every unlocked weight to 1 when they are
// all zero and the allocation asks for an even split.
func checkRest(a Allocation, rest int64, sum uint64, w []uint64, locked func(int) bool) (uint64, error) {
	free := 0
	for i := range w {
		if !locked(i) {
			free++
		}
	}
	switch {
	case rest < 0:
		return 0, errLocksExceed(a.Total)
	case rest == 0:
		return sum, nil
	case free == 0:
		return 0, errAllLocked(a.Total)
	case sum == 0 && !a.EvenIfZeroWeights:
		return 0, errZeroWeights(a.Total)
	case sum == 0:
		for i := range w {
			if !locked(i) {
				w[i] = 1
			}
		}
		return uint64(free), nil
	}
	return sum, nil
}

func errLocksExceed(total decimal.Decimal) error {
	return infeasible("the locked shares sum to more than the total %s; lower a lock or raise the total", total)
}

func errAllLocked(total decimal.Decimal) error {
	return infeasible("every share is locked but the locks do not sum to the total %s; unlock a share or fix a lock", total)
}

func errZeroWeights(total decimal.Decimal) error {
	return invalid("weights", "", "all weights of the unlocked shares are zero, so there is no ratio to split %s by; give a positive weight or set EvenIfZeroWeights", total)
}

// allocator holds scratch space for repeated 64-bit splits; the zero value is
// ready to use. It is not safe for concurrent use.
type allocator struct {
	rem   []uint64
	order []int
}

// split sets out[i] to the largest-remainder share of total (>= 0) for
// weights w summing to sum (> 0). Shares with zero weight get zero.
func (al *allocator) split(total int64, w []uint64, sum uint64, out []int64) {
	n := len(w)
	al.rem = slices.Grow(al.rem[:0], n)[:n]
	al.order = al.order[:0]
	left := total
	for i, wi := range w {
		hi, lo := bits.Mul64(uint64(total), wi)
		q, r := bits.Div64(hi, lo, sum) // q <= total, so it cannot overflow
		out[i] = int64(q)
		al.rem[i] = r
		left -= int64(q)
		if r != 0 {
			al.order = append(al.order, i)
		}
	}
	if left == 0 {
		return
	}
	rem := al.rem
	slices.SortFunc(al.order, func(i, j int) int {
		if rem[i] != rem[j] {
			if rem[i] > rem[j] {
				return -1
			}
			return 1
		}
		return i - j
	})
	for _, i := range al.order[:left] {
		out[i]++
	}
}

// splitSigned is split for a total of any sign: a negative total is split as
// the mirror image of its absolute value.
func (al *allocator) splitSigned(total int64, w []uint64, sum uint64, out []int64) {
	if total >= 0 {
		al.split(total, w, sum, out)
		return
	}
	al.split(-total, w, sum, out)
	for i := range out {
		out[i] = -out[i]
	}
}

// bigShare is one share in minor units for the general path, with the total
// made non-negative: nil pointers mean "not set".
type bigShare struct {
	w        *big.Int
	lock     *big.Int
	min, max *big.Int
}

func allocateBig(a Allocation) ([]decimal.Decimal, error) {
	n := len(a.Shares)
	total := minorBig(a.Total, a.Places)
	neg := total.Sign() < 0
	if neg {
		total.Neg(total)
	}
	mirror := func(v decimal.NullDecimal) *big.Int {
		if !v.Valid {
			return nil
		}
		m := minorBig(v.Decimal, a.Places)
		if neg {
			m.Neg(m)
		}
		return m
	}
	sh := make([]bigShare, n)
	e := int32(math.MaxInt32)
	for _, s := range a.Shares {
		if !s.Lock.Valid && s.Weight.Sign() != 0 {
			e = min(e, s.Weight.Exponent())
		}
	}
	for i, s := range a.Shares {
		sh[i].lock = mirror(s.Lock)
		sh[i].min, sh[i].max = mirror(s.Min), mirror(s.Max)
		if neg {
			sh[i].min, sh[i].max = sh[i].max, sh[i].min
		}
		sh[i].w = new(big.Int)
		if !s.Lock.Valid && s.Weight.Sign() != 0 {
			sh[i].w = s.Weight.Shift(-e).BigInt()
		}
	}
	show := func(v *big.Int) string {
		d := decimal.NewFromBigInt(v, -a.Places)
		if neg {
			d = d.Neg()
		}
		return d.StringFixed(a.Places)
	}
	res, err := waterFill(total, sh, a.EvenIfZeroWeights, a.Total, show)
	if err != nil {
		return nil, err
	}
	out := make([]decimal.Decimal, n)
	for i, v := range res {
		if neg {
			v.Neg(v)
		}
		out[i] = decimal.NewFromBigInt(v, -a.Places)
	}
	return out, nil
}

// waterFill allocates total (>= 0) over the shares with bounds, in integers.
// orig is the caller's total and show prints an amount, for messages.
func waterFill(total *big.Int, sh []bigShare, even bool, orig decimal.Decimal, show func(*big.Int) string) ([]*big.Int, error) {
	n := len(sh)
	out := make([]*big.Int, n)
	rest := new(big.Int).Set(total)
	var free []int
	for i, s := range sh {
		if s.lock != nil {
			out[i] = new(big.Int).Set(s.lock)
			rest.Sub(rest, s.lock)
			continue
		}
		free = append(free, i)
	}
	if len(free) == 0 {
		if rest.Sign() != 0 {
			return nil, errAllLocked(orig)
		}
		return out, nil
	}
	allZero := true
	for _, i := range free {
		if sh[i].w.Sign() != 0 {
			allZero = false
		}
	}
	w := make([]*big.Int, n)
	for _, i := range free {
		w[i] = sh[i].w
		if allZero && even {
			w[i] = big.NewInt(1)
		}
	}
	// Zero-weight shares get zero, or the bound nearest zero.
	lo, hi := new(big.Int), new(big.Int) // the range the weighted shares can reach
	bounded := true
	var active []int
	for _, i := range free {
		mn, mx := sh[i].min, sh[i].max
		if mn == nil {
			mn = new(big.Int)
		}
		if w[i].Sign() == 0 {
			v := new(big.Int)
			if v.Cmp(mn) < 0 {
				v.Set(mn)
			}
			if mx != nil && v.Cmp(mx) > 0 {
				v.Set(mx)
			}
			out[i] = v
			rest.Sub(rest, v)
			continue
		}
		sh[i].min = mn
		lo.Add(lo, mn)
		if mx == nil {
			bounded = false
		} else {
			hi.Add(hi, mx)
		}
		active = append(active, i)
	}
	if len(active) == 0 {
		if rest.Sign() == 0 {
			return out, nil
		}
		if rest.Sign() < 0 && lo.Sign() == 0 {
			return nil, errLocksExceed(orig)
		}
		if allZero && !even {
			return nil, errZeroWeights(orig)
		}
		return nil, infeasible("the shares with zero weight are held at their bounds, leaving %s that no share can take; give them a weight or change the bounds", show(rest))
	}
	if rest.Cmp(lo) < 0 {
		if lo.Sign() == 0 {
			return nil, errLocksExceed(orig)
		}
		return nil, infeasible("%s is left for the unlocked shares of the total %s but their minimums need %s; lower the minimums or the locks, or raise the total", show(rest), orig, show(lo))
	}
	if bounded && rest.Cmp(hi) > 0 {
		return nil, infeasible("%s is left for the unlocked shares of the total %s but their maximums allow only %s; raise the maximums or lower the total", show(rest), orig, show(hi))
	}
	// Water-filling: with λ = rest/W over the still-active shares, pin the
	// shares that cross a bound. When the overshoot above maximums exceeds
	// the shortfall below minimums, the final λ is larger, so every share
	// above its maximum stays there: pin those; symmetrically for minimums.
	var (
		x, y      big.Int
		sumW      big.Int
		over      = new(big.Int)
		under     = new(big.Int)
		highs     []int
		lows      []int
		remaining = active
		isHigh    = make([]bool, n)
	)
	for {
		sumW.SetInt64(0)
		for _, i := range remaining {
			sumW.Add(&sumW, w[i])
		}
		over.SetInt64(0)
		under.SetInt64(0)
		highs, lows = highs[:0], lows[:0]
		for _, i := range remaining {
			x.Mul(rest, w[i]) // quota·W
			if mx := sh[i].max; mx != nil {
				y.Mul(mx, &sumW)
				if x.Cmp(&y) > 0 {
					highs = append(highs, i)
					over.Add(over, y.Sub(&x, &y))
					continue
				}
			}
			y.Mul(sh[i].min, &sumW)
			if x.Cmp(&y) < 0 {
				lows = append(lows, i)
				under.Add(under, y.Sub(&y, &x))
			}
		}
		if len(highs) == 0 && len(lows) == 0 {
			break
		}
		var pin []int
		switch over.Cmp(under) {
		case 1:
			pin = highs
		case -1:
			pin = lows
		default:
			pin = append(highs, lows...)
		}
		for _, i := range highs {
			isHigh[i] = true
		}
		for _, i := range pin {
			v := sh[i].min
			if isHigh[i] {
				v = sh[i].max
			}
			out[i] = new(big.Int).Set(v)
			rest.Sub(rest, v)
		}
		for _, i := range highs {
			isHigh[i] = false
		}
		remaining = slices.DeleteFunc(slices.Clone(remaining), func(i int) bool { return out[i] != nil })
		if len(remaining) == 0 {
			if rest.Sign() != 0 { // unreachable after the range checks above
				return nil, infeasible("the bounds cannot reach the total %s", orig)
			}
			return out, nil
		}
	}
	hamiltonBig(rest, remaining, w, out)
	return out, nil
}

// hamiltonBig sets out[i] for i in idx to the largest-remainder share of
// total (any sign) by weights w (positive).
func hamiltonBig(total *big.Int, idx []int, w []*big.Int, out []*big.Int) {
	var sum big.Int
	for _, i := range idx {
		sum.Add(&sum, w[i])
	}
	rem := make(map[int]*big.Int, len(idx))
	left := new(big.Int).Set(total)
	var prod big.Int
	for _, i := range idx {
		q, r := new(big.Int), new(big.Int)
		q.DivMod(prod.Mul(total, w[i]), &sum, r) // Euclidean: q = floor, r >= 0
		out[i] = q
		rem[i] = r
		left.Sub(left, q)
	}
	order := slices.Clone(idx)
	slices.SortFunc(order, func(i, j int) int {
		if c := rem[j].Cmp(rem[i]); c != 0 {
			return c
		}
		return i - j
	})
	for k := int64(0); k < left.Int64(); k++ {
		out[order[k]].Add(out[order[k]], big.NewInt(1))
	}
}
