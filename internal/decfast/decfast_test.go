package decfast

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// randomDecimal returns a decimal of up to digits digits (negative at
// times) with an exponent in [-8, 3].
func randomDecimal(r *rand.Rand, digits int) decimal.Decimal {
	c := r.Int64N(int64(pow10u[min(digits, 18)]))
	if r.IntN(4) == 0 {
		c = -c
	}
	return decimal.New(c, int32(r.IntN(12))-8)
}

// The fast quotients are DivRound exactly: the same value and the same
// representation (require.Equal compares representations), including
// halves, negatives, zeros and operands too large for the fast path.
func TestDivRoundIsDecimalDivRound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := [][3]decimal.Decimal{
		{decimal.RequireFromString("1"), decimal.RequireFromString("8"), decimal.RequireFromString("1")},
		{decimal.RequireFromString("-5"), decimal.RequireFromString("2"), decimal.RequireFromString("1")},
		{decimal.RequireFromString("0"), decimal.RequireFromString("3"), decimal.RequireFromString("7")},
		{decimal.RequireFromString("123456789012345678901234"), decimal.RequireFromString("7"), decimal.RequireFromString("3")},
		{decimal.RequireFromString("999999999999999999"), decimal.RequireFromString("999999999999999999"), decimal.RequireFromString("0.000000000000000001")},
	}
	for range 20000 {
		cases = append(cases, [3]decimal.Decimal{randomDecimal(r, r.IntN(19)), randomDecimal(r, r.IntN(19)), randomDecimal(r, 1+r.IntN(18))})
	}
	for range 1000 { // zeros written as a difference, not by New
		x := randomDecimal(r, r.IntN(19))
		cases = append(cases, [3]decimal.Decimal{x.Sub(x), randomDecimal(r, r.IntN(19)), randomDecimal(r, 1+r.IntN(18))},
			[3]decimal.Decimal{randomDecimal(r, r.IntN(19)), x.Sub(x), randomDecimal(r, 1+r.IntN(18))})
	}
	for _, c := range cases {
		x, m, y := c[0], c[1], c[2]
		if y.IsZero() {
			continue
		}
		for _, places := range []int32{0, 2, 6, 24} {
			require.Equal(t, x.DivRound(y, places), DivRound(x, y, places), "%s ÷ %s to %d places", x, y, places)
			require.Equal(t, x.Mul(m).DivRound(y, places), MulDivRound(x, m, y, places), "%s × %s ÷ %s to %d places", x, m, y, places)
			if m.IsInteger() && y.IsInteger() && m.NumDigits() <= 18 && y.NumDigits() <= 18 {
				mi, yi := m.IntPart(), y.IntPart()
				require.Equal(t, MulDivRound(x, decimal.NewFromInt(mi), decimal.NewFromInt(yi), places), MulDivRoundInts(x, mi, yi, places),
					"%s × %d ÷ %d to %d places", x, mi, yi, places)
			}
		}
	}
}

// Sums, differences and rounded products are decimal's, to the
// representation, with zeros, negatives, mixed exponents and operands too
// large for the fast path.
func TestAddSubMulRoundAreDecimals(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := [][2]decimal.Decimal{
		{decimal.RequireFromString("1.50"), decimal.RequireFromString("1.5")},
		{decimal.RequireFromString("0"), decimal.RequireFromString("0.00")},
		{decimal.Decimal{}, decimal.RequireFromString("-3.2")},
		{decimal.RequireFromString("999999999999999999"), decimal.RequireFromString("1")},
		{decimal.RequireFromString("-999999999999999999"), decimal.RequireFromString("999999999999999999")},
		{decimal.RequireFromString("123456789012345678901234"), decimal.RequireFromString("7")},
		{decimal.RequireFromString("1e-20"), decimal.RequireFromString("5e10")},
		{decimal.RequireFromString("0.125"), decimal.RequireFromString("-0.005")},
	}
	for range 20000 {
		cases = append(cases, [2]decimal.Decimal{randomDecimal(r, r.IntN(19)), randomDecimal(r, r.IntN(19))})
	}
	for _, c := range cases {
		x, y := c[0], c[1]
		require.Equal(t, x.Add(y), Add(x, y), "%s + %s", x, y)
		require.Equal(t, x.Sub(y), Sub(x, y), "%s − %s", x, y)
		for _, places := range []int32{0, 1, 2, 4} {
			require.Equal(t, x.Mul(y).Round(places), MulRound(x, y, places), "%s × %s to %d places", x, y, places)
		}
	}
}

func BenchmarkDivRound(b *testing.B) {
	x, m, y := decimal.RequireFromString("1234567.89"), decimal.NewFromInt(187), decimal.NewFromInt(250)
	b.Run("decimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = x.Mul(m).DivRound(y, 2)
		}
	})
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = MulDivRound(x, m, y, 2)
		}
	})
}

// A Sum has the value of a chain of Adds, whatever the operands' sizes
// and exponents.
func TestSumIsTheValueOfAdds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		var s Sum
		want := decimal.Zero
		for range r.IntN(30) {
			x := randomDecimal(r, r.IntN(19))
			if r.IntN(50) == 0 {
				x = decimal.RequireFromString("123456789012345678901234.5")
			}
			s.Add(x)
			want = want.Add(x)
		}
		require.True(t, want.Equal(s.Decimal()), "want %s, got %s", want, s.Decimal())
	}
	var empty Sum
	require.True(t, empty.Decimal().IsZero())
}

// A product with a margin is decimal's x × (1 ± t) rounded, to the
// representation, with margins that make the factor zero or negative and
// operands too large for the fast path.
func TestMulMarginRoundIsDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	cases := [][2]decimal.Decimal{
		{decimal.RequireFromString("1450000.00"), decimal.RequireFromString("0.05")},
		{decimal.RequireFromString("10"), decimal.RequireFromString("1")},
		{decimal.RequireFromString("-3.5"), decimal.RequireFromString("2.5")},
		{decimal.Decimal{}, decimal.RequireFromString("0.1")},
		{decimal.RequireFromString("123456789012345678901234"), decimal.RequireFromString("0.05")},
		{decimal.RequireFromString("7"), decimal.RequireFromString("1e-30")},
	}
	for range 20000 {
		cases = append(cases, [2]decimal.Decimal{randomDecimal(r, r.IntN(19)), randomDecimal(r, r.IntN(19))})
	}
	one := decimal.NewFromInt(1)
	for _, c := range cases {
		x, m := c[0], c[1]
		for _, places := range []int32{0, 1, 2, 4} {
			require.Equal(t, x.Mul(one.Add(m)).Round(places), MulMarginRound(x, m, true, places), "%s × (1 + %s) to %d places", x, m, places)
			require.Equal(t, x.Mul(one.Sub(m)).Round(places), MulMarginRound(x, m, false, places), "%s × (1 − %s) to %d places", x, m, places)
		}
	}
}
