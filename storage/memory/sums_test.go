package memory

import (
	"math/rand/v2"
	"testing"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TestPrefixSums checks range sums from prefix sums against a plain pass
// over the days, across the exact int64 path and its decimal fallbacks:
// mixed exponents, negative values, values past 18 digits and running
// totals past an int64.
func TestPrefixSums(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	values := []func() decimal.Decimal{
		func() decimal.Decimal { return decimal.New(r.Int64N(1_000_000), -2) },
		func() decimal.Decimal { return decimal.New(r.Int64N(2_000_000)-1_000_000, -int32(r.IntN(13))) },
		func() decimal.Decimal { return decimal.New(r.Int64N(9e17), 0) }, // sums overflow int64
		func() decimal.Decimal { return decimal.New(r.Int64N(1e17)+1, 3).Add(decimal.New(1, -12)) },
		func() decimal.Decimal {
			return decimal.RequireFromString("123456789012345678901.5").Mul(decimal.New(r.Int64N(3)-1, 0))
		},
	}
	for vi, value := range values {
		for round := 0; round < 20; round++ {
			m := map[date.Date]*bucket{}
			for range r.IntN(60) {
				m[date.Date(r.IntN(100))] = newBucket(value(), decimal.New(r.Int64N(10)+1, -int32(r.IntN(3))))
			}
			p := newPrefix(m)
			for range 50 {
				a := date.Date(r.IntN(110) - 5)
				b := a + date.Date(r.IntN(110))
				wantV, wantN := decimal.Zero, decimal.Zero
				for d, x := range m {
					if d >= a && d < b {
						wantV, wantN = wantV.Add(x.Value()), wantN.Add(x.Count())
					}
				}
				v, n := p.sum(a, b)
				if !v.Equal(wantV) || !n.Equal(wantN) {
					t.Fatalf("values %d: sum over [%d, %d) = %s, %s; want %s, %s", vi, a, b, v, n, wantV, wantN)
				}
			}
		}
	}
}
