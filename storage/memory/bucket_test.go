package memory

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestNumAdd checks num against decimal.Add: same value and exponent after
// every step, across mixed exponents, signs, values past 18 digits and
// running totals past an int64.
func TestNumAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	values := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(r.Int64N(1_000_000), -2) },
		func() decimal.Decimal { return decimal.New(r.Int64N(2_000_000)-1_000_000, -int32(r.IntN(13))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(9e17)-4e17, int32(r.IntN(3))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(1e17)+1, 3).Add(decimal.New(1, -12)) },
		func() decimal.Decimal {
			return decimal.RequireFromString("123456789012345678901.5").Mul(decimal.New(r.Int64N(3)-1, 0))
		},
	}
	for round := 0; round < 2000; round++ {
		first := values[r.IntN(len(values))]()
		var a num
		sign0 := 1 - 2*r.IntN(2)
		a.set(first, sign0)
		want := first
		if sign0 < 0 {
			want = first.Neg()
		}
		for step := range r.IntN(40) {
			x := values[r.IntN(len(values))]()
			sign := 1 - 2*r.IntN(2)
			a.add(x, sign)
			if sign < 0 {
				x = x.Neg()
			}
			want = want.Add(x)
			got := a.dec()
			if !got.Equal(want) || got.Exponent() != want.Exponent() || a.isZero() != want.IsZero() {
				t.Fatalf("round %d step %d: got %s (exp %d), want %s (exp %d)", round, step, got, got.Exponent(), want, want.Exponent())
			}
		}
	}
}
