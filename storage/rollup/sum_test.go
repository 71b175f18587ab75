package rollup

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// sameDecimal requires a and b to have the same coefficient and exponent,
// not only the same value.
func sameDecimal(t *testing.T, want, got decimal.Decimal, msg ...any) {
	t.Helper()
	require.Equal(t, want.Exponent(), got.Exponent(), msg...)
	require.Zero(t, want.Coefficient().Cmp(got.Coefficient()), msg...)
}

// randomDecimal returns coefficients near zero, near the int64 limits and
// beyond them, at exponents from -20 to 3.
func randomDecimal(r *rand.Rand) decimal.Decimal {
	e := int32(r.IntN(24)) - 20
	switch r.IntN(4) {
	case 0:
		return decimal.New(r.Int64N(2000)-1000, e)
	case 1:
		return decimal.New(math.MaxInt64-r.Int64N(10), e)
	case 2:
		return decimal.New(math.MinInt64+r.Int64N(10), e)
	default:
		c := new(big.Int).Lsh(big.NewInt(r.Int64N(1000)-500), 70)
		return decimal.NewFromBigInt(c, e)
	}
}

// Sum gives exactly what decimal.Zero.Add(x).Add(y)… gives, value and
// exponent, whether it stays in int64 or not, and adding sums is adding
// their terms.
func TestSumIsDecimalAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		want := decimal.Zero
		var s, left, right Sum
		n := r.IntN(8)
		for k := range n {
			x := randomDecimal(r)
			want = want.Add(x)
			s.Add(x)
			if k < n/2 {
				left.Add(x)
			} else {
				right.Add(x)
			}
		}
		sameDecimal(t, want, s.Decimal())
		left.AddSum(right)
		sameDecimal(t, want, left.Decimal())
	}
}

func TestSumZero(t *testing.T) {
	var s Sum
	sameDecimal(t, decimal.Zero, s.Decimal())
	s.Add(decimal.RequireFromString("0.00"))
	sameDecimal(t, decimal.RequireFromString("0.00"), s.Decimal(), "a zero's exponent counts, as in decimal.Add")
}

func FuzzSum(f *testing.F) {
	f.Add(int64(150), int32(-2), int64(3), int32(0))
	f.Add(int64(math.MaxInt64), int32(0), int64(1), int32(0))
	f.Add(int64(math.MinInt64), int32(-18), int64(-1), int32(2))
	f.Fuzz(func(t *testing.T, a int64, ea int32, b int64, eb int32) {
		ea, eb = ea%40, eb%40
		x, y := decimal.New(a, ea), decimal.New(b, eb)
		var s Sum
		s.Add(x)
		s.Add(y)
		sameDecimal(t, decimal.Zero.Add(x).Add(y), s.Decimal())
	})
}

// A Term is its decimal at its own exponent, Neg negates it, and adding
// terms is adding their decimals; Int64 reports the int64 form until a
// coefficient leaves it.
func TestTerm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		x := randomDecimal(r)
		term := Term(x)
		sameDecimal(t, x, term.Decimal())
		sameDecimal(t, x.Neg(), term.Neg().Decimal())
		c, e, ok := term.Int64()
		require.Equal(t, x.NumDigits() <= 18, ok)
		if ok {
			sameDecimal(t, x, decimal.New(c, e))
		}
		var s Sum
		s.AddSum(term)
		s.AddSum(term.Neg())
		require.True(t, s.Decimal().IsZero())
	}
}
