package goal

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nullDec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

func strs(ds []decimal.Decimal, places int32) []string {
	out := make([]string, len(ds))
	for i, v := range ds {
		out[i] = v.StringFixed(places)
	}
	return out
}

func weighted(ws ...string) []Share {
	out := make([]Share, len(ws))
	for i, w := range ws {
		out[i] = Share{Weight: dec(w)}
	}
	return out
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		name string
		a    Allocation
		want []string
	}{
		{"thirds", Allocation{Total: dec("100.00"), Places: 2, Shares: weighted("1", "1", "1")}, []string{"33.34", "33.33", "33.33"}},
		{"tie goes to lower index", Allocation{Total: dec("0.02"), Places: 2, Shares: weighted("1", "1", "1")}, []string{"0.01", "0.01", "0.00"}},
		{"larger remainder first", Allocation{Total: dec("10"), Places: 0, Shares: weighted("1", "2", "4")}, []string{"1", "3", "6"}},
		{"decimal weights", Allocation{Total: dec("1.00"), Places: 2, Shares: weighted("0.5", "0.25", "0.25")}, []string{"0.50", "0.25", "0.25"}},
		{"zero weight gets zero", Allocation{Total: dec("10"), Places: 0, Shares: weighted("0", "1", "1")}, []string{"0", "5", "5"}},
		{"counts", Allocation{Total: dec("7"), Places: 0, Shares: weighted("1", "1", "1")}, []string{"3", "2", "2"}},
		{"negative total mirrors", Allocation{Total: dec("-100.00"), Places: 2, Shares: weighted("1", "1", "1")}, []string{"-33.34", "-33.33", "-33.33"}},
		{"zero total", Allocation{Total: dec("0"), Places: 2, Shares: weighted("1", "2")}, []string{"0.00", "0.00"}},
		{"trailing zeros within places", Allocation{Total: dec("1.500"), Places: 2, Shares: weighted("1", "1")}, []string{"0.75", "0.75"}},
		{"no shares, zero total", Allocation{Total: dec("0"), Places: 2}, []string{}},
		{"lock keeps its amount", Allocation{Total: dec("100"), Places: 0, Shares: []Share{{Lock: nullDec("40")}, {Weight: dec("1")}, {Weight: dec("2")}}}, []string{"40", "20", "40"}},
		{"all locked and exact", Allocation{Total: dec("3"), Places: 0, Shares: []Share{{Lock: nullDec("1")}, {Lock: nullDec("2")}}}, []string{"1", "2"}},
		{"even fallback", Allocation{Total: dec("10"), Places: 0, Shares: weighted("0", "0", "0"), EvenIfZeroWeights: true}, []string{"4", "3", "3"}},
		{"even fallback skips locks", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Lock: nullDec("4")}, {}, {}}, EvenIfZeroWeights: true}, []string{"4", "3", "3"}},
		{"all zero weights, nothing to split", Allocation{Total: dec("0"), Places: 0, Shares: weighted("0", "0")}, []string{"0", "0"}},
		{"max pins and redistributes", Allocation{Total: dec("100"), Places: 0, Shares: []Share{{Weight: dec("8"), Max: nullDec("50")}, {Weight: dec("1")}, {Weight: dec("1")}}}, []string{"50", "25", "25"}},
		{"min pins and redistributes", Allocation{Total: dec("100"), Places: 0, Shares: []Share{{Weight: dec("0"), Min: nullDec("10")}, {Weight: dec("1")}, {Weight: dec("1")}}}, []string{"10", "45", "45"}},
		{"min lifts a small weight", Allocation{Total: dec("100"), Places: 0, Shares: []Share{{Weight: dec("1"), Min: nullDec("30")}, {Weight: dec("9")}}}, []string{"30", "70"}},
		{"cascading maxes", Allocation{Total: dec("100"), Places: 0, Shares: []Share{{Weight: dec("6"), Max: nullDec("40")}, {Weight: dec("3"), Max: nullDec("35")}, {Weight: dec("1")}}}, []string{"40", "35", "25"}},
		{"bounds exactly fill", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Weight: dec("1"), Max: nullDec("4")}, {Weight: dec("1"), Max: nullDec("6")}}}, []string{"4", "6"}},
		{"bounds with negative total", Allocation{Total: dec("-100"), Places: 0, Shares: []Share{{Weight: dec("8"), Min: nullDec("-50")}, {Weight: dec("1")}, {Weight: dec("1")}}}, []string{"-50", "-25", "-25"}},
		{"large values take the big path", Allocation{Total: dec("123456789012345678901234.56"), Places: 2, Shares: weighted("1", "1", "1")}, []string{"41152263004115226300411.52", "41152263004115226300411.52", "41152263004115226300411.52"}},
		{"huge weights", Allocation{Total: dec("1.00"), Places: 2, Shares: weighted("1e30", "2e30", "1e-30")}, []string{"0.33", "0.67", "0.00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(tt.a)
			require.NoError(t, err)
			require.Equal(t, tt.want, strs(got, tt.a.Places))
			sum := decimal.Zero
			for _, g := range got {
				sum = sum.Add(g)
			}
			require.True(t, sum.Equal(tt.a.Total), "sum %s != total %s", sum, tt.a.Total)
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		name string
		a    Allocation
		want error
	}{
		{"too many places", Allocation{Total: dec("1.001"), Places: 2, Shares: weighted("1")}, ErrInvalid},
		{"bad places", Allocation{Total: dec("1"), Places: -1, Shares: weighted("1")}, ErrInvalid},
		{"negative weight", Allocation{Total: dec("1"), Places: 0, Shares: weighted("1", "-1")}, ErrInvalid},
		{"all zero weights", Allocation{Total: dec("1"), Places: 0, Shares: weighted("0", "0")}, ErrInvalid},
		{"no shares", Allocation{Total: dec("1"), Places: 0}, ErrInfeasible},
		{"lock with too many places", Allocation{Total: dec("1"), Places: 0, Shares: []Share{{Lock: nullDec("0.5")}, {Weight: dec("1")}}}, ErrInvalid},
		{"lock and bound together", Allocation{Total: dec("1"), Places: 0, Shares: []Share{{Lock: nullDec("1"), Max: nullDec("2")}}}, ErrInvalid},
		{"min above max", Allocation{Total: dec("1"), Places: 0, Shares: []Share{{Weight: dec("1"), Min: nullDec("2"), Max: nullDec("1")}}}, ErrInvalid},
		{"locks exceed total", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Lock: nullDec("11")}, {Weight: dec("1")}}}, ErrInfeasible},
		{"locks exceed total, bounded", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Lock: nullDec("11")}, {Weight: dec("1"), Max: nullDec("5")}}}, ErrInfeasible},
		{"all locked, wrong sum", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Lock: nullDec("4")}, {Lock: nullDec("5")}}}, ErrInfeasible},
		{"minimums past total", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Weight: dec("1"), Min: nullDec("6")}, {Weight: dec("1"), Min: nullDec("6")}}}, ErrInfeasible},
		{"maximums short of total", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Weight: dec("1"), Max: nullDec("4")}, {Weight: dec("1"), Max: nullDec("5")}}}, ErrInfeasible},
		{"zero weights held at bounds", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Weight: dec("0"), Max: nullDec("4")}}}, ErrInvalid},
		{"zero weight cannot take the rest", Allocation{Total: dec("10"), Places: 0, Shares: []Share{{Weight: dec("1"), Max: nullDec("4")}, {Weight: dec("0")}}}, ErrInfeasible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Allocate(tt.a)
			require.ErrorIs(t, err, tt.want)
			if errors.Is(tt.want, ErrInvalid) {
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
			}
			require.NotEmpty(t, err.Error())
		})
	}
}

// randomAllocation builds a random allocation that may or may not be
// feasible.
func randomAllocation(r *rand.Rand, bounds bool) Allocation {
	n := 1 + r.IntN(12)
	places := int32(r.IntN(4))
	total := decimal.New(r.Int64N(2_000_000)-400_000, -places)
	a := Allocation{Total: total, Places: places, EvenIfZeroWeights: r.IntN(2) == 0}
	for range n {
		var s Share
		switch r.IntN(6) {
		case 0:
			s.Weight = decimal.Zero
		case 1:
			s.Weight = decimal.New(r.Int64N(1000), -int32(r.IntN(6)))
		default:
			s.Weight = decimal.New(1+r.Int64N(100), 0)
		}
		if r.IntN(6) == 0 {
			s.Lock = decimal.NewNullDecimal(decimal.New(r.Int64N(200_000)*int64(total.Sign()), -places))
		} else if bounds {
			scale := total.Abs().Div(decimal.NewFromInt(int64(n))).Truncate(places)
			if r.IntN(3) == 0 {
				s.Min = decimal.NewNullDecimal(scale.Mul(decimal.NewFromFloat(r.Float64() * 0.9)).Truncate(places))
			}
			if r.IntN(3) == 0 {
				s.Max = decimal.NewNullDecimal(scale.Mul(decimal.NewFromFloat(0.8 + r.Float64()*2)).Truncate(places))
			}
			if s.Min.Valid && s.Max.Valid && s.Min.Decimal.GreaterThan(s.Max.Decimal) {
				s.Min, s.Max = s.Max, s.Min
			}
			if total.Sign() < 0 {
				s.Min, s.Max = negNull(s.Max), negNull(s.Min)
			}
		}
		a.Shares = append(a.Shares, s)
	}
	return a
}

func negNull(v decimal.NullDecimal) decimal.NullDecimal {
	if v.Valid {
		v.Decimal = v.Decimal.Neg()
	}
	return v
}

func TestAllocateProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ok, failed := 0, 0
	for iter := range 1500 {
		a := randomAllocation(r, iter%2 == 0)
		got, err := Allocate(a)
		again, err2 := Allocate(a)
		require.Equal(t, err, err2)
		if err != nil {
			require.True(t, errors.Is(err, ErrInvalid) || errors.Is(err, ErrInfeasible), "%v", err)
			failed++
			continue
		}
		ok++
		require.Equal(t, strs(got, a.Places), strs(again, a.Places), "deterministic")
		sum := decimal.Zero
		for i, g := range got {
			s := a.Shares[i]
			sum = sum.Add(g)
			require.True(t, FitsPlaces(g, a.Places))
			if s.Lock.Valid {
				require.True(t, g.Equal(s.Lock.Decimal), "lock %d: %s != %s", i, g, s.Lock.Decimal)
			}
			if s.Min.Valid {
				require.True(t, g.GreaterThanOrEqual(s.Min.Decimal), "min %d: %s < %s", i, g, s.Min.Decimal)
			}
			if s.Max.Valid {
				require.True(t, g.LessThanOrEqual(s.Max.Decimal), "max %d: %s > %s", i, g, s.Max.Decimal)
			}
		}
		require.True(t, sum.Equal(a.Total), "iter %d: sum %s != total %s", iter, sum, a.Total)
		// Mirror symmetry.
		m := a
		m.Total = a.Total.Neg()
		m.Shares = nil
		for _, s := range a.Shares {
			m.Shares = append(m.Shares, Share{Weight: s.Weight, Lock: negNull(s.Lock), Min: negNull(s.Max), Max: negNull(s.Min)})
		}
		neg, err := Allocate(m)
		require.NoError(t, err)
		for i := range got {
			require.True(t, neg[i].Equal(got[i].Neg()))
		}
	}
	require.Greater(t, ok, 900, "most random allocations are feasible (failed %d)", failed)
}

// Without bounds, every unlocked share is within one minor unit of its exact
// quota, and the fast and big paths agree.
func TestAllocateQuotaAndPathsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		a := randomAllocation(r, false)
		fast, ok, errF := allocateFast(a)
		require.True(t, ok || errF != nil)
		slow, errS := allocateBig(a)
		if errF != nil || errS != nil {
			require.ErrorIs(t, errS, errorsKind(errF))
			continue
		}
		require.Equal(t, strs(fast, a.Places), strs(slow, a.Places))
		rest := a.Total
		wsum := new(big.Rat)
		for _, s := range a.Shares {
			if s.Lock.Valid {
				rest = rest.Sub(s.Lock.Decimal)
			} else {
				wsum.Add(wsum, s.Weight.Rat())
			}
		}
		if wsum.Sign() == 0 {
			continue
		}
		unit := new(big.Rat).SetFrac64(1, pow10i(a.Places))
		for i, s := range a.Shares {
			if s.Lock.Valid {
				continue
			}
			quota := new(big.Rat).Mul(rest.Rat(), s.Weight.Rat())
			quota.Quo(quota, wsum)
			diff := new(big.Rat).Sub(fast[i].Rat(), quota)
			require.Less(t, diff.Abs(diff).Cmp(unit), 0, "share %d = %s, quota %s", i, fast[i], quota.FloatString(6))
		}
	}
}

func errorsKind(err error) error {
	if errors.Is(err, ErrInfeasible) {
		return ErrInfeasible
	}
	return ErrInvalid
}

func pow10i(p int32) int64 {
	v := int64(1)
	for range p {
		v *= 10
	}
	return v
}

func TestAllocatorSplitNoAlloc(t *testing.T) {
	var al allocator
	w := []uint64{3, 1, 1, 0, 5}
	out := make([]int64, len(w))
	al.split(1001, w, 10, out)
	require.Equal(t, []int64{300, 100, 100, 0, 501}, out)
	allocs := testing.AllocsPerRun(100, func() { al.splitSigned(-1001, w, 10, out) })
	require.Zero(t, allocs)
	require.Equal(t, []int64{-300, -100, -100, 0, -501}, out)
}
