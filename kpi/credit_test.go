package kpi

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestSplitMinor(t *testing.T) {
	cases := []struct {
		name    string
		value   int64
		weights []uint64
		want    []int64
	}{
		{"whole", 101, []uint64{1}, []int64{101}},
		{"tie to the earlier credit", 1, []uint64{5, 5}, []int64{1, 0}},
		{"tie to the earlier credit, negative", -1, []uint64{5, 5}, []int64{-1, 0}},
		{"largest remainder first", 100, []uint64{333333, 333333, 333334}, []int64{33, 33, 34}},
		{"thirds", 10000, []uint64{1, 1, 1}, []int64{3334, 3333, 3333}},
		{"zero weight gets nothing", 7, []uint64{0, 1}, []int64{0, 7}},
		{"largest int64", 1<<63 - 1, []uint64{1, 1}, []int64{1 << 62, 1<<62 - 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := SplitMinor(c.value, c.weights, nil)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
	_, err := SplitMinor(1, []uint64{0, 0}, nil)
	require.ErrorContains(t, err, "sum to zero")
	_, err = SplitMinor(1, []uint64{1 << 63, 1 << 63}, nil)
	require.ErrorContains(t, err, "past 2^64")
}

// Property: SplitMinor and SplitValue give what goal.Allocate gives for
// the same value, places and weights (largest remainder, ties to the lower
// index, negatives mirrored), and the parts sum to the value.
func TestSplitAgreesWithAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 5000 {
		n := 1 + r.IntN(7)
		shares := make([]decimal.Decimal, n)
		ws := make([]goal.Share, n)
		for i := range shares {
			s := int64(1 + r.IntN(4)) // small weights: many ties
			if r.IntN(2) == 0 {
				s = 1 + r.Int64N(1_000_000)
			}
			shares[i] = decimal.New(s, -int32(r.IntN(7)))
			ws[i] = goal.Share{Weight: shares[i]}
		}
		places := int32(r.IntN(4))
		v := decimal.New(r.Int64N(20_001)-10_000, -places)
		want, err := goal.Allocate(goal.Allocation{Total: v, Places: places, Shares: ws})
		require.NoError(t, err)
		got, err := SplitValue(v, places, shares)
		require.NoError(t, err)
		sum := decimal.Zero
		for i := range want {
			require.True(t, want[i].Equal(got[i]), "case %d: %s over %v: Allocate %v, SplitValue %v", k, v, shares, want, got)
			sum = sum.Add(got[i])
		}
		require.True(t, sum.Equal(v))
	}
}

// A value too large for int64 minor units takes goal.Allocate's path.
func TestSplitValueHuge(t *testing.T) {
	v := decimal.RequireFromString("100000000000000000000.01")
	got, err := SplitValue(v, 2, []decimal.Decimal{dec("0.5"), dec("0.5")})
	require.NoError(t, err)
	require.Equal(t, []string{"50000000000000000000.01", "50000000000000000000"}, []string{got[0].String(), got[1].String()})
}

// The ledger breaks a remainder tie for the credit listed first, as the
// stores do, whatever the units' order in the org.
func TestLedgerSplitTieGoesToTheEarlierCredit(t *testing.T) {
	for _, credits := range [][]Credit{
		{{"b", dec("0.5")}, {"a", dec("0.5")}},
		{{"a", dec("0.5")}, {"b", dec("0.5")}},
	} {
		l := newTestLedger(t)
		_, err := l.Ingest(Fact{Key: "k", Metric: "revenue", Date: d(2026, 3, 1), Value: dec("0.01"), Credits: credits})
		require.NoError(t, err)
		first, second := credits[0].Unit, credits[1].Unit
		requireDec(t, "0.01", actual(t, l, "revenue", first, "2026", Own), fmt.Sprint(credits))
		requireDec(t, "0", actual(t, l, "revenue", second, "2026", Own), fmt.Sprint(credits))
	}
}
